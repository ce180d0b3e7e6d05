"""The platform: ranking of offers and the checkout, pure functions on the state."""

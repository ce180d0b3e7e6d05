"""The one error type a user sees for bad input."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """Invalid configuration: names the key, the value given and what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"{key}={value!r} is invalid: {allowed}")

    def under(self, prefix: str) -> ConfigError:
        """The same error with its key placed under a parent section."""
        return ConfigError(f"{prefix}.{self.key}", self.value, self.allowed)

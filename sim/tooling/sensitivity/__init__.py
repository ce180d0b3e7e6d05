"""Uncertainty and sensitivity: declared ranges of what we do not know (`uncertainties`)."""

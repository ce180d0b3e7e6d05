"""Calibration inputs: the public figures the model is fitted to (see docs/calibration.md)."""

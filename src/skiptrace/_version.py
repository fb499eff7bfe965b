"""The version, kept apart so every layer may read it without loading the public API."""

__version__ = "0.1.0"

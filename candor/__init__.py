"""Candor: audit a mobile app's privacy policy against what the app really does."""

__version__ = "0.1.0"

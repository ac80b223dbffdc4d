"""Times given by the user: the one parser lives in candor.timeparse (a time without a zone is UTC)."""

from candor.timeparse import parse_time

__all__ = ["parse_time"]

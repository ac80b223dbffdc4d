"""Times given by the user: Unix seconds or ISO 8601."""

from datetime import datetime


def parse_time(text: str) -> float:
    """Seconds since the epoch, or an ISO 8601 time; ValueError otherwise."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ValueError(f"expected a Unix timestamp or ISO time, got {text!r}") from None

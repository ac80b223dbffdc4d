"""Moments given by the user (--consent-at, the proxy's candor_consent_at): seconds since the epoch or ISO 8601.

An ISO 8601 time without a zone is UTC, never the machine's local time, so the same input means the same moment
on every machine (the traffic analyser, the proxy addon and `candor report` all parse with this one function).
"""

import math
from datetime import UTC, datetime

HELP = "epoch seconds or ISO 8601 (UTC when no zone)"


def parse_time(text: str) -> float:
    """Seconds since the epoch for `text`; ValueError (one line) when it is neither a finite number nor an ISO 8601 time."""
    text = text.strip()
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(value):
            raise ValueError(f"expected seconds since the epoch or an ISO 8601 time, got {text!r}")
        return value
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"expected seconds since the epoch or an ISO 8601 time, got {text!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()

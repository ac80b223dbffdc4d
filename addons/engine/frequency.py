"""Transmissions per minute per (destination, identifier), and bursts above a rate."""

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass, field

WINDOW = 60.0


@dataclass
class RateStats:
    """What one (destination, identifier) pair did over the session."""

    count: int = 0
    peak_per_minute: int = 0
    bursts: int = 0
    times: list[float] = field(default_factory=list)


class FrequencyTracker:
    """Counts flows carrying an identifier in a sliding 60-second window."""

    def __init__(self, burst_per_minute: int = 30) -> None:
        self.burst_per_minute = burst_per_minute
        self.stats: dict[tuple[str, str], RateStats] = defaultdict(RateStats)

    def record(self, who: str, identifier: str, timestamp: float) -> bool:
        """Count one transmission; True if the rate in the minute up to it exceeds the limit."""
        stats = self.stats[(who, identifier)]
        stats.count += 1
        insort(stats.times, timestamp)
        if len(stats.times) > 4096:  # keep the window small; slightly out-of-order reads still fit
            del stats.times[: bisect_left(stats.times, timestamp - WINDOW * 2)]
        in_window = bisect_right(stats.times, timestamp) - bisect_right(stats.times, timestamp - WINDOW)
        stats.peak_per_minute = max(stats.peak_per_minute, in_window)
        burst = self.burst_per_minute > 0 and in_window > self.burst_per_minute
        stats.bursts += burst
        return burst

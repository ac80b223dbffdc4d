"""Resource limits that keep hostile archives from exhausting memory or time."""

from typing import NamedTuple


class Limits(NamedTuple):
    """Caps applied while reading archives (bytes are inflated sizes)."""

    max_entry: int = 256 * 1024 * 1024  # one inflated entry read into memory (so it bounds peak memory too)
    max_split: int = 2 * 1024 * 1024 * 1024  # one split APK of a bundle, inflated to a temporary file, not memory
    max_total: int = 3 * 1024 * 1024 * 1024  # all inflated bytes of one scan, splits and nested archives included
    max_ratio: float = 200.0  # inflated / compressed, for entries above `ratio_floor`
    ratio_floor: int = 1024 * 1024
    max_entries: int = 200_000
    max_nesting: int = 2  # archives inside archives
    max_manifest: int = 16 * 1024 * 1024


DEFAULT_LIMITS = Limits()

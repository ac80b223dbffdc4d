"""Mask values for display (identifier values in reports, secret-looking meta-data in scans): keep the first and last 2 characters."""

MASK = "•"


def mask_value(value: str | None, keep: int = 2) -> str | None:
    """`866123456789012` -> `86•••••••••••12`; short values are fully masked."""
    if value is None:
        return None
    if len(value) <= 2 * keep + 1:
        return MASK * len(value)
    return value[:keep] + MASK * (len(value) - 2 * keep) + value[-keep:]

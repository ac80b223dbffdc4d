"""Silence androguard's loguru output (it logs every parsed chunk at DEBUG)."""

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_androguard() -> Iterator[None]:
    """Disable loguru records from androguard while the block runs."""
    try:
        from loguru import logger
    except ImportError:  # pragma: no cover - loguru comes with androguard
        yield
        return
    logger.disable("androguard")
    try:
        yield
    finally:
        logger.enable("androguard")

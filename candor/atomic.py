"""Write a file atomically: the whole new content appears at once (temporary file in the same folder, then rename)."""

import os
from pathlib import Path

from candor.errors import InputError


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write bytes (or UTF-8 text) to `path`, creating its folder; an OSError becomes a one-line InputError."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(payload)
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None

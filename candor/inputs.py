"""One input policy for every reader.

- Only regular files are read: FIFOs, character/block devices and sockets are refused in one line
  (symlinks are followed first, so a link to /dev/zero is a device). The check is made on the open
  descriptor, opened non-blocking, so a named pipe can never block the open itself.
- Sizes are checked before any work: the file's size against the reader's limit, then the read is
  capped again in case the file grows underneath.
- Every decompression is streamed with a cap, and the cap is an `InflateBudget` shared by all the
  layers of one input (a zip inside a zip, zstd inside base64 inside gzip): it bounds the total, not
  each layer.
- Problems are `InputError`s whose message is one line (`one_line`).
"""

import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from struct import error as struct_error
from typing import BinaryIO

from candor.errors import InputError

MiB = 1024 * 1024
_CHUNK = MiB
_MAX_MESSAGE = 300
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def one_line(text: object, limit: int = _MAX_MESSAGE) -> str:
    """A message as one printable line of at most `limit` characters (newlines and controls become spaces)."""
    flat = " ".join(str(text).split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _refuse_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a directory, expected a file")
    for test, kind in _KINDS:
        if test(mode):
            raise InputError(f"{path}: is {kind}, not a regular file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: not a regular file")


def regular_file(path: str | os.PathLike[str]) -> Path:
    """The path, if it names (through any symlinks) an existing regular file; else one-line InputError."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    _refuse_kind(path, mode)
    return path


def open_regular(path: str | os.PathLike[str], max_bytes: int | None = None, what: str = "file") -> BinaryIO:
    """Open a regular file for binary reading, refusing other kinds without blocking and files over `max_bytes`."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _refuse_kind(path, info.st_mode)
        if max_bytes is not None and info.st_size > max_bytes:
            raise InputError(f"{path}: {info.st_size:,} bytes is too large for a {what} (limit {max_bytes:,})")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> bytes:
    """The whole content of a regular file of at most `max_bytes` bytes (checked before and while reading)."""
    path = Path(path)
    with open_regular(path, max_bytes, what) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(f"{path}: more than {max_bytes:,} bytes is too large for a {what}")
    return data


def read_text(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> str:
    """A regular file's UTF-8 text (a BOM is dropped), size-capped; undecodable bytes are a one-line error."""
    data = read_bytes(path, max_bytes, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


class InflateBudget:
    """Inflated bytes left for one input, shared by every decompression layer inside it."""

    def __init__(self, limit: int, label: str = "input") -> None:
        self.limit = limit
        self.label = label
        self.used = 0

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)

    def charge(self, size: int, what: str | None = None) -> None:
        """Count `size` inflated bytes; InputError once the total passes the limit."""
        self.used += size
        if self.used > self.limit:
            raise InputError(f"{what or self.label}: inflates beyond {self.limit >> 20} MB in total (decompression bomb?)")


class Inflated(bytes):
    """Decompressed bytes; `cut` is True when output stopped at the cap rather than at the end of the data."""

    cut: bool = False


def _result(data: bytes | bytearray, cut: bool) -> Inflated:
    out = Inflated(data)
    out.cut = cut
    return out


def inflate(data: bytes, method: str, limit: int) -> Inflated:
    """Undo one compression (gzip, deflate/zlib, raw deflate, br, zstd), streaming, never holding more than `limit` bytes.

    The result stops at `limit` (its `cut` flag says so); a damaged stream is a ValueError.
    """
    out = _inflate(data, method, max(0, limit))
    if not out and data and limit > 0:
        raise ValueError(f"{method}: no output")
    return out


def _inflate(data: bytes, method: str, limit: int) -> Inflated:
    try:
        if method in ("gzip", "x-gzip"):
            return _inflate_zlib(data, 16 + zlib.MAX_WBITS, limit)
        if method in ("deflate", "zlib"):
            try:
                return _inflate_zlib(data, zlib.MAX_WBITS, limit)
            except zlib.error:
                return _inflate_zlib(data, -zlib.MAX_WBITS, limit)
        if method == "raw-deflate":
            return _inflate_zlib(data, -zlib.MAX_WBITS, limit)
        if method == "br":
            return _inflate_brotli(data, limit)
        if method == "zstd":
            return _inflate_zstd(data, limit)
    except ValueError:
        raise
    except Exception as exc:  # zlib.error, brotli.error, zstandard.ZstdError, EOFError
        raise ValueError(f"{method}: {one_line(exc, 120) or type(exc).__name__}") from None
    raise ValueError(f"unknown compression {method}")


def _inflate_zlib(data: bytes, wbits: int, limit: int) -> Inflated:
    engine = zlib.decompressobj(wbits)
    if limit == 0:  # max_length 0 would mean "no limit"
        return _result(b"", bool(engine.decompress(data, 1)))
    out = engine.decompress(data, limit)
    cut = len(out) >= limit and bool(engine.decompress(engine.unconsumed_tail, 1))
    return _result(out, cut)


def _inflate_brotli(data: bytes, limit: int) -> Inflated:
    import brotli

    engine = brotli.Decompressor()
    out = engine.process(data, output_buffer_limit=limit + 1)
    if len(out) > limit:
        return _result(out[:limit], True)
    return _result(out, False)


def _inflate_zstd(data: bytes, limit: int) -> Inflated:
    import io

    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    out = bytearray()
    while len(out) < limit:
        chunk = reader.read(min(_CHUNK, limit - len(out)))
        if not chunk:
            break
        out += chunk
    cut = len(out) >= limit and bool(reader.read(1))
    return _result(out, cut)


def inflate_within(data: bytes, method: str, budget: InflateBudget, what: str) -> bytes:
    """Undo one compression inside `budget`; InputError when it would pass the budget's total."""
    try:
        out = inflate(data, method, budget.left)
    except ValueError as exc:
        raise InputError(f"{what}: damaged {method} data ({one_line(exc, 120)})") from None
    if out.cut:
        budget.charge(budget.left + 1, what)
    budget.charge(len(out), what)
    return bytes(out)


def open_zip(handle: BinaryIO, what: str, max_members: int) -> zipfile.ZipFile:
    """A ZipFile over `handle`, after the end record's member count is checked (before a huge directory is parsed).

    zipfile's own errors pass through unchanged for the caller to word.
    """
    try:
        end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the end record only: no directory yet
    except (OSError, ValueError, struct_error):
        end = None
    if end is not None:
        count = end[zipfile._ECD_ENTRIES_TOTAL]  # type: ignore[attr-defined]
        if count > max_members:
            raise InputError(f"{what}: {count:,} zip members, more than the limit of {max_members:,}")
    handle.seek(0)
    return zipfile.ZipFile(handle)


def check_zip(archive: zipfile.ZipFile, what: str, *, max_members: int, max_member: int, max_total: int) -> None:
    """Refuse a zip whose central directory declares too many members or too many inflated bytes.

    Python's zipfile never yields more than a member's declared size, so these declared sizes bound
    every later read of the archive.
    """
    infos = archive.infolist()
    if len(infos) > max_members:
        raise InputError(f"{what}: {len(infos):,} zip members, more than the limit of {max_members:,}")
    total = 0
    for info in infos:
        if info.file_size > max_member:
            member = one_line(info.filename, 80)
            raise InputError(f"{what}: member {member} inflates to {info.file_size >> 20} MB (limit {max_member >> 20} MB)")
        total += info.file_size
    if total > max_total:
        raise InputError(f"{what}: members inflate to {total >> 20} MB in total (limit {max_total >> 20} MB; zip bomb?)")


def read_member(archive: zipfile.ZipFile, name: str, budget: InflateBudget, what: str) -> bytes:
    """One zip member, streamed and charged to `budget` (its declared size is checked first)."""
    info = archive.getinfo(name)
    if info.file_size > budget.left:
        budget.charge(info.file_size, f"{what}: {one_line(name, 80)}")
    parts: list[bytes] = []
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            budget.charge(len(chunk), f"{what}: {one_line(name, 80)}")
            parts.append(chunk)
    return b"".join(parts)


@contextmanager
def quiet_library_logs(*names: str, into: list[str] | None = None) -> Iterator[list[str]]:
    """Capture the warnings third-party libraries log or warn while inside the block, instead of printing them.

    Each captured message is kept as one line in the yielded list (and in `into`, if given).
    """
    import logging
    import warnings

    captured: list[str] = [] if into is None else into

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            try:
                captured.append(one_line(record.getMessage(), 200))
            except Exception:  # a library's broken log arguments must not break reading
                captured.append(one_line(record.msg, 200))

    handler = _Collect(logging.WARNING)
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield captured
        captured.extend(one_line(w.message, 200) for w in caught)
    finally:
        for lg, (propagate, level) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.propagate = propagate
            lg.setLevel(level)


def parse_yaml(text: str, path: object) -> object:
    """YAML (safe loader) from text; every problem, a deep nesting or a huge integer included, is one InputError line."""
    import yaml

    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise InputError(f"{path}: not valid YAML (nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise InputError(f"{path}: unreadable YAML value ({one_line(exc, 120)})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise InputError(f"{path}: not valid YAML{where}: {one_line(getattr(exc, 'problem', None) or exc, 120)}") from None


def validation_summary(exc: Exception) -> str:
    """A pydantic ValidationError as one line: the first problem with where it is, and how many more."""
    errors = getattr(exc, "errors", None)
    if not callable(errors):
        return one_line(exc)
    try:
        items = errors()
    except Exception:
        return one_line(exc)
    if not items:
        return "invalid data"
    first = items[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "value"
    more = f" (and {len(items) - 1} more problems)" if len(items) > 1 else ""
    return one_line(f"{where}: {first.get('msg', 'invalid')}{more}")

"""Zip access with limits: sizes, compression ratio, entry count, nesting (zip bombs, bogus directories)."""

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from isal import isal_zlib

from apk_scan.limits import DEFAULT_LIMITS, Limits
from candor.errors import InputError
from candor.inputs import InflateBudget, open_regular, open_zip

_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # local file header: signature ... file name length, extra field length
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError, RuntimeError, KeyError)


class Budget(InflateBudget):
    """Inflated bytes left for one scan, shared by every archive it opens (splits and nested archives included)."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(limits.max_total, "APK")
        self.limits = limits


class SafeZip:
    """A zip archive read under `Limits`; every problem is an InputError in one line."""

    def __init__(self, source: Path | bytes | BinaryIO, label: str, budget: Budget | None = None) -> None:
        self.label = label
        self.budget = budget or Budget()
        limits = self.budget.limits
        if isinstance(source, bytes):
            handle: BinaryIO = io.BytesIO(source)
        elif isinstance(source, Path):
            handle = open_regular(source, what="APK")  # never a FIFO or /dev/zero
        else:
            handle = source
        self._handle = handle
        try:
            self._zip = open_zip(handle, label, limits.max_entries)
            infos = self._zip.infolist()
        except InputError:
            handle.close()
            raise
        except _ZIP_ERRORS as exc:
            handle.close()
            raise InputError(f"{label}: not a valid APK/zip archive ({_reason(exc)})") from None
        if len(infos) > limits.max_entries:
            raise InputError(f"{label}: {len(infos)} zip entries, more than the limit of {limits.max_entries}")
        self.infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            info.flag_bits &= ~0x1  # Android ignores the "encrypted" bit that anti-analysis APKs set
            if info.file_size > max(limits.max_entry, limits.max_split):
                raise InputError(f"{label}: entry {info.filename} declares {info.file_size >> 20} MB inflated (zip bomb?)")
            self.infos[info.filename] = info

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "SafeZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def size(self, name: str) -> int:
        return self.infos[name].file_size

    def open_member(self, name: str) -> "SafeZip":
        """A zip inside this one (a split APK), inflated to a temporary file, not memory; charged to the budget."""
        return SafeZip(self.spool(name, self.budget.limits.max_split), f"{self.label}!{name}", self.budget)

    def spool(self, name: str, cap: int) -> BinaryIO:
        """One entry inflated to an anonymous temporary file (at most `cap` bytes), positioned at its start; the
        caller closes it. Keeps archives nested in an APK out of memory while they are scanned."""
        import tempfile  # only split bundles and nested archives get here: the plain-APK path never pays its import

        spooled = tempfile.TemporaryFile()  # noqa: SIM115  # returned open: the caller owns it
        try:
            self._inflate(name, cap, spooled.write)
            spooled.seek(0)
        except BaseException:
            spooled.close()
            raise
        return spooled

    def read(self, name: str, max_size: int | None = None) -> bytes:
        """Inflate one entry within the size, ratio and budget limits. The entry's raw bytes are inflated in one piece
        with ISA-L (about twice as fast as zlib) and checked against the declared size and CRC-32; an entry that does
        not read cleanly that way is streamed again by zipfile and zlib, which decide what is wrong in their words."""
        limits = self.budget.limits
        cap = min(max_size or limits.max_entry, limits.max_entry)
        info = self.infos.get(name)
        if info is not None and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) and info.compress_size <= cap:
            data = self._read_whole(info, cap)
            if data is not None:
                self.budget.charge(len(data), self.label)
                return data
        parts: list[bytes] = []
        self._inflate(name, cap, parts.append)
        return b"".join(parts)

    def _ratio_cap(self, info: zipfile.ZipInfo) -> int:
        """The most an entry may inflate to under the compression-ratio limit."""
        limits = self.budget.limits
        return max(limits.ratio_floor, int(max(info.compress_size, 1) * limits.max_ratio))

    def _read_whole(self, info: zipfile.ZipInfo, cap: int) -> bytes | None:
        """The entry read from its local header with ISA-L, or None when anything is unusual (the careful path decides)."""
        if info.file_size > min(cap, self._ratio_cap(info), self.budget.left):
            return None
        try:
            self._handle.seek(info.header_offset)
            header = self._handle.read(_LOCAL_HEADER.size)
            if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
                return None
            name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
            self._handle.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
            raw = self._handle.read(info.compress_size)
            if info.compress_type == zipfile.ZIP_STORED:
                data = raw
            else:
                inflater = isal_zlib.decompressobj(-zlib.MAX_WBITS)
                data = inflater.decompress(raw, info.file_size + 1)
                if not inflater.eof:
                    return None
        except (OSError, isal_zlib.error):
            return None
        if len(data) != info.file_size or isal_zlib.crc32(data) != info.CRC:
            return None
        return data

    def _inflate(self, name: str, cap: int, sink: Callable[[bytes], object]) -> None:
        """Stream one entry into `sink`: at most `cap` bytes, within the ratio limit, charged to the scan's budget."""
        limits = self.budget.limits
        info = self.infos.get(name)
        if info is None:
            raise InputError(f"{self.label}: no entry {name}")
        what = f"{self.label}: entry {name}"
        ratio_cap = self._ratio_cap(info)
        if info.file_size > ratio_cap:
            raise InputError(f"{what} has a compression ratio over {limits.max_ratio:.0f} (zip bomb?)")
        if info.file_size > cap:
            raise InputError(f"{what} is {info.file_size >> 20} MB inflated, over the {cap >> 20} MB limit")
        if info.file_size > self.budget.left:
            self.budget.charge(info.file_size, self.label)  # over the scan's total before inflating anything
        total = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > cap or total > ratio_cap:
                        raise InputError(f"{what} inflates beyond its declared size and limits (zip bomb?)")
                    self.budget.charge(len(chunk), self.label)  # the total across nesting, counted while streaming
                    sink(chunk)
        except InputError:
            raise
        except _ZIP_ERRORS as exc:
            raise InputError(f"{what} is unreadable ({_reason(exc)})") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def is_zip(path: Path) -> bool:
    """True when the (regular) file starts like a zip, or has a zip directory after some prefixed bytes."""
    try:
        with open_regular(path, what="APK") as handle:
            head = handle.read(4)
            return head in (b"PK\x03\x04", b"PK\x05\x06") or (len(head) == 4 and zipfile.is_zipfile(handle))
    except (OSError, InputError):
        return False

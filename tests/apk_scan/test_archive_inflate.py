"""Zip entries are inflated with ISA-L; anything it rejects is inflated again by zlib, so results and messages match zlib's."""

import io
import random
import zipfile

import pytest

from apk_scan.archive import SafeZip
from candor.errors import InputError

NAME = "classes.dex"


def _archive(payload: bytes) -> tuple[bytearray, int]:
    """A deflated zip holding `payload`, and where the entry's compressed data starts."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(NAME, payload)
    raw = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(NAME)
    return raw, info.header_offset + 30 + len(NAME)


def _payload() -> bytes:
    rng = random.Random(7)
    return bytes(rng.getrandbits(8) for _ in range(40_000)) + b"Landroid/app/Activity;" * 60_000


def test_inflated_bytes_and_budget_match_the_entry() -> None:
    payload = _payload()
    raw, _ = _archive(payload)
    archive = SafeZip(bytes(raw), "t.apk")
    assert archive.read(NAME) == payload
    assert archive.budget.used == len(payload)


def test_a_broken_deflate_stream_is_reported_in_zlib_words() -> None:
    raw, data_start = _archive(_payload())
    raw[data_start] ^= 0xFF  # the first block header: an invalid block type
    archive = SafeZip(bytes(raw), "t.apk")
    with pytest.raises(InputError, match=r"t\.apk: entry classes\.dex is unreadable \(Error -3 while decompressing data"):
        archive.read(NAME)
    assert archive.budget.used == 0


def test_a_wrong_checksum_is_still_caught() -> None:
    raw, data_start = _archive(_payload())
    raw[data_start + 20_000] ^= 0x01  # inside the stored block of random bytes: inflates, but to other bytes
    with pytest.raises(InputError, match="Bad CRC-32"):
        SafeZip(bytes(raw), "t.apk").read(NAME)


def test_a_stored_entry_is_read_and_its_checksum_checked() -> None:
    payload = _payload()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(NAME, payload)
    raw = bytearray(buf.getvalue())
    assert SafeZip(bytes(raw), "t.apk").read(NAME) == payload
    raw[30 + len(NAME) + 1000] ^= 0x01
    with pytest.raises(InputError, match="Bad CRC-32"):
        SafeZip(bytes(raw), "t.apk").read(NAME)


def test_a_clean_entry_is_read_in_one_piece_without_streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = _payload()
    raw, _ = _archive(payload)
    archive = SafeZip(bytes(raw), "t.apk")

    def streamed(*args: object, **kwargs: object) -> None:
        raise AssertionError("a clean entry took the streaming path")

    monkeypatch.setattr(archive, "_inflate", streamed)
    assert archive.read(NAME) == payload and archive.budget.used == len(payload)

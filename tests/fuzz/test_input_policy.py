"""Property tests of the input policy (candor.inputs): caps hold for any data, special files are refused in one line."""

import gzip
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from candor.errors import InputError
from candor.inputs import InflateBudget, inflate, inflate_within, one_line, read_bytes, regular_file

FAST = settings(max_examples=60, deadline=None)
METHODS = ("gzip", "deflate", "br", "zstd", "raw-deflate")


def _compress(data: bytes, method: str) -> bytes:
    if method == "gzip":
        return gzip.compress(data)
    if method == "deflate":
        return zlib.compress(data)
    if method == "raw-deflate":
        engine = zlib.compressobj(wbits=-15)
        return engine.compress(data) + engine.flush()
    if method == "br":
        import brotli

        return brotli.compress(data, quality=1)
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


@FAST
@given(st.binary(max_size=4096), st.sampled_from(METHODS), st.integers(0, 5000))
def test_inflate_of_any_bytes_is_capped_or_a_value_error(data: bytes, method: str, limit: int) -> None:
    try:
        out = inflate(data, method, limit)
    except ValueError:
        return
    assert len(out) <= limit


@FAST
@given(st.binary(max_size=3000), st.sampled_from(METHODS), st.integers(0, 4000))
def test_inflate_round_trips_within_the_cap_and_says_when_it_cut(data: bytes, method: str, limit: int) -> None:
    out = inflate(_compress(data, method), method, limit) if data else None
    if out is None:
        return
    assert bytes(out) == data[:limit]
    assert out.cut == (len(data) > limit)


@pytest.mark.parametrize("method", METHODS)
def test_a_bomb_never_inflates_past_the_cap(method: str) -> None:
    bomb = _compress(b"\0" * (16 << 20), method)
    out = inflate(bomb, method, 1 << 20)
    assert len(out) == 1 << 20 and out.cut


def test_the_budget_is_the_total_across_layers() -> None:
    budget = InflateBudget(1000, "flow")
    inner = zlib.compress(b"a" * 600)
    outer = zlib.compress(inner + b"b" * 300)
    middle = inflate_within(outer, "deflate", budget, "outer")
    inflate_within(middle[: len(inner)], "deflate", budget, "inner")
    assert budget.used == len(inner) + 300 + 600
    with pytest.raises(InputError, match="in total"):
        inflate_within(inner, "deflate", budget, "again")


@FAST
@given(st.text(max_size=400))
def test_one_line_is_one_printable_line(text: str) -> None:
    line = one_line(text)
    assert "\n" not in line and "\r" not in line and len(line) <= 300
    assert all(ch.isprintable() for ch in line)


def test_special_files_are_refused_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    for path, words in ((fifo, "named pipe"), (zero, "character device"), (tmp_path, "directory"), (tmp_path / "absent", "no such file")):
        with pytest.raises(InputError, match=words) as info:
            read_bytes(path, 100)
        assert "\n" not in str(info.value)
        with pytest.raises(InputError):
            regular_file(path)


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="too large"):
        read_bytes(big, 100)
    assert read_bytes(big, 101) == b"x" * 101

"""class_data_item decoding: which method owns which code_item, and where a code_item's instructions lie."""

import numpy as np

from apk_scan.dex.leb128 import read_uleb128
from apk_scan.dex.reader import DexError, DexFile


def method_code_index(dex: DexFile) -> tuple[np.ndarray, np.ndarray]:
    """(code_item offsets sorted, owning method_idx) for every method with code (computed once per DexFile)."""
    from apk_scan.dex.classdata import method_code_index_fast

    cached = dex.__dict__.get("_method_code_index")
    if cached is None:
        fast = method_code_index_fast(dex)
        cached = fast if fast is not None else method_code_index_slow(dex)
        dex.__dict__["_method_code_index"] = cached
    return cached


def method_code_index_slow(dex: DexFile) -> tuple[np.ndarray, np.ndarray]:
    """The same, one class_data_item at a time (any layout)."""
    data = dex.data
    size = len(data)
    offsets: list[int] = []
    owners: list[int] = []
    for class_data in dex.class_defs["class_data"].tolist():
        if not class_data:
            continue
        if class_data >= size:
            raise DexError(f"{dex.name}: class data outside the file")
        pos = class_data
        counts = []
        for _ in range(4):
            value, pos = read_uleb128(data, pos)
            counts.append(value)
        for _ in range(2 * (counts[0] + counts[1])):  # fields: idx_diff, access_flags
            while data[pos] & 0x80:
                pos += 1
            pos += 1
        for count in (counts[2], counts[3]):
            method_idx = 0
            for _ in range(count):
                diff, pos = read_uleb128(data, pos)
                method_idx += diff
                while data[pos] & 0x80:  # access flags
                    pos += 1
                pos += 1
                code, pos = read_uleb128(data, pos)
                if code:
                    offsets.append(code)
                    owners.append(method_idx)
    codes = np.array(offsets, dtype=np.int64)
    methods = np.array(owners, dtype=np.int64)
    order = np.argsort(codes, kind="stable")
    return codes[order], methods[order]


def instruction_ends(dex: DexFile, codes: np.ndarray) -> np.ndarray:
    """End byte offset of the instructions of every code item at `codes` (all inside the file), as `code_bounds` reads it."""
    raw = np.frombuffer(dex.data, np.uint8)
    units = np.zeros(codes.size, dtype=np.int64)
    for shift, at in ((0, 12), (8, 13), (16, 14), (24, 15)):  # insns_size: a little-endian uint at offset 12
        units |= raw[codes + at].astype(np.int64) << shift
    return np.minimum(codes + 16 + 2 * units, len(dex.data))


def code_bounds(dex: DexFile, code_off: int) -> tuple[int, int]:
    """(first, end) byte offsets of a code_item's instructions."""
    data = dex.data
    if code_off + 16 > len(data):
        raise DexError(f"{dex.name}: code item outside the file")
    units = int.from_bytes(data[code_off + 12 : code_off + 16], "little")
    start = code_off + 16
    return start, min(start + 2 * units, len(data))

"""Vectorised decoding of the class_data section: which method owns which code_item.

All ULEB128 values of the section are decoded at once with numpy; only the per-class structure
(counts, then field and method records) is walked in Python, with list slices.
"""

from itertools import accumulate

import numpy as np

from apk_scan.dex.reader import DexFile

TYPE_CLASS_DATA_ITEM = 0x2000
MAX_PLAIN_VALUE = 1 << 32  # larger ULEB128 values (only in hostile files) take the Python-integer path


def class_data_section(dex: DexFile) -> tuple[int, int] | None:
    """(start, end) of the class_data section from the map list, or None."""
    data = dex.data
    if not dex.map_off or dex.map_off + 4 > len(data):
        return None
    count = int.from_bytes(data[dex.map_off : dex.map_off + 4], "little")
    if count > 64 or dex.map_off + 4 + 12 * count > len(data):
        return None
    items = np.frombuffer(data, np.dtype([("type", "<u2"), ("unused", "<u2"), ("size", "<u4"), ("offset", "<u4")]),
                          count=count, offset=dex.map_off + 4)  # fmt: skip
    offsets = sorted(int(o) for o in items["offset"])
    for item in items:
        if int(item["type"]) == TYPE_CLASS_DATA_ITEM:
            start = int(item["offset"])
            end = next((o for o in offsets if o > start), len(data))
            return start, min(end, len(data))
    return None


def decode_uleb_run(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start offset of each ULEB128, its value) for a byte run made only of ULEB128 values."""
    last = raw < 0x80
    ends = np.flatnonzero(last)
    starts = np.empty_like(ends)
    if ends.size:
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    raw = raw[: int(ends[-1]) + 1] if ends.size else raw[:0]
    owner = np.cumsum(last[: raw.size]) - last[: raw.size]
    shift = np.minimum((np.arange(raw.size) - starts[owner]) * 7, 56).astype(np.int64)
    values = np.add.reduceat((raw & 0x7F).astype(np.int64) << shift, starts) if starts.size else np.zeros(0, np.int64)
    return starts, values


def method_code_index_fast(dex: DexFile) -> tuple[np.ndarray, np.ndarray] | None:
    """(sorted code offsets, owning method ids), or None when the section layout is unusual."""
    section = class_data_section(dex)
    if section is None:
        return None
    start, end = section
    starts, values = decode_uleb_run(np.frombuffer(dex.data, np.uint8, count=end - start, offset=start))
    class_offsets = dex.class_defs["class_data"].astype(np.int64)
    class_offsets = class_offsets[class_offsets != 0] - start
    if class_offsets.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    index = np.searchsorted(starts, class_offsets)
    if (index >= starts.size).any() or (starts[np.minimum(index, starts.size - 1)] != class_offsets).any():
        return None
    if values.size and int(values.max()) >= MAX_PLAIN_VALUE:
        records = _method_records_loop(values, index)  # hostile-sized values: Python ints, as the format allows
    else:
        records = _method_records(values, index.astype(np.int64))
    if records is None:
        return None
    code_arr, owner_arr = records
    has_code = code_arr != 0  # abstract and native methods
    code_arr, owner_arr = code_arr[has_code], owner_arr[has_code]
    order = np.argsort(code_arr, kind="stable")
    return code_arr[order], owner_arr[order]


def _method_records(values: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(code offset, method id) of every direct then virtual method record, class by class, from the decoded
    ULEB128 values and the value index where each class_data_item starts; None when a record list runs past the end."""
    total = values.size
    if (index + 4 > total).any():
        return None
    static_fields, instance_fields = values[index], values[index + 1]
    direct, virtual = values[index + 2], values[index + 3]
    direct_start = index + 4 + 2 * (static_fields + instance_fields)
    virtual_start = direct_start + 3 * direct
    if (virtual_start + 3 * virtual > total).any():
        return None
    starts = np.column_stack((direct_start, virtual_start)).ravel()  # one record list per (class, direct/virtual)
    counts = np.column_stack((direct, virtual)).ravel()
    first = np.cumsum(counts) - counts  # record number where each list begins
    positions = np.repeat(starts - 3 * first, counts) + 3 * np.arange(int(counts.sum()), dtype=np.int64)
    running = np.cumsum(values[positions])  # method_idx_diff, summed within each list
    before = np.concatenate(([0], running))[first]
    return values[positions + 2], running - np.repeat(before, counts)


def _method_records_loop(values: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The same as `_method_records`, one class at a time with Python integers."""
    vals = values.tolist()
    codes: list[int] = []
    owners: list[int] = []
    total = len(vals)
    for j in index.tolist():
        if j + 4 > total:
            return None
        sf, inf, dm, vm = vals[j : j + 4]
        j += 4 + 2 * (sf + inf)
        for count in (dm, vm):
            triples = vals[j : j + 3 * count]
            if len(triples) != 3 * count:
                return None
            j += 3 * count
            owners.extend(accumulate(triples[0::3]))
            codes.extend(triples[2::3])
    return np.array(codes, dtype=np.int64), np.array(owners, dtype=np.int64)

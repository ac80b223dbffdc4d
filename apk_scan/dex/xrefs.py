"""Find instructions referencing given method/field ids without decoding every method.

A numpy pass finds 16-bit words equal to a target id right after an invoke / sget opcode;
only the methods holding such candidates are then decoded to confirm them.
"""

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from apk_scan.dex.code import code_bounds, method_code_index
from apk_scan.dex.opcodes import CONST_STRING, CONST_STRING_JUMBO, INVOKE_OPS, LENGTHS, SGET_OPS, payload_length
from apk_scan.dex.reader import DexFile


@dataclass
class MethodRefs:
    """What one calling method references among the targets."""

    method_idx: int
    methods: set[int] = field(default_factory=set)  # invoked target method ids
    fields: set[int] = field(default_factory=set)  # read target field ids
    strings: set[int] = field(default_factory=set)  # const-string ids loaded by the method (only when asked)
    loaded: set[int] = field(default_factory=set)  # target string ids loaded (find_string_users)


_OPCODE_LUT = np.zeros(256, dtype=bool)
_OPCODE_LUT[list(INVOKE_OPS | SGET_OPS)] = True


def _lut(ids: Iterable[int]) -> np.ndarray:
    table = np.zeros(65536, dtype=bool)
    for i in ids:
        if 0 <= i < 65536:
            table[i] = True
    return table


def find_refs(dex: DexFile, method_ids: set[int], field_ids: set[int], with_strings: frozenset[int] = frozenset(),
              caller_types: np.ndarray | None = None) -> list[MethodRefs]:  # fmt: skip
    """Calling methods of the target method ids (invoke-*) and readers of the target field ids (sget*).

    For callers of a method id in `with_strings`, the const-string ids the caller loads are collected too;
    `caller_types` (type ids) keeps only callers defined in those classes (and skips decoding the others).
    """
    if not method_ids and not field_ids:
        return []
    data = dex.data
    start = (max(dex.data_off, 0x70) // 2) if dex.data_off < len(data) else 0x38
    words = np.frombuffer(data, "<u2", count=len(data) // 2)[start:]
    operand = words[1:]
    hits = np.flatnonzero(_lut(method_ids | field_ids)[operand])
    if hits.size == 0:
        return []
    opcodes = words[hits] & 0xFF
    keep = _OPCODE_LUT[opcodes]
    hits, opcodes = hits[keep], opcodes[keep]
    ids = operand[hits]
    positions = (hits + start) * 2
    candidates: dict[int, tuple[str, int]] = {}
    for pos, op, ident in zip(positions.tolist(), opcodes.tolist(), ids.tolist(), strict=True):
        if op in INVOKE_OPS and ident in method_ids:
            candidates[pos] = ("m", ident)
        elif op in SGET_OPS and ident in field_ids:
            candidates[pos] = ("f", ident)
    if not candidates:
        return []
    return _confirm(dex, candidates, with_strings, caller_types)


def find_string_users(dex: DexFile, string_ids: set[int]) -> list[MethodRefs]:
    """Methods loading any of the target string ids with const-string / const-string/jumbo (ids in `loaded`)."""
    if not string_ids:
        return []
    data = dex.data
    start = (max(dex.data_off, 0x70) // 2) if dex.data_off < len(data) else 0x38
    words = np.frombuffer(data, "<u2", count=len(data) // 2)[start:]
    operand = words[1:]
    hits = np.flatnonzero(_lut({i & 0xFFFF for i in string_ids})[operand])
    if hits.size == 0:
        return []
    opcodes = words[hits] & 0xFF
    keep = (opcodes == CONST_STRING) | (opcodes == CONST_STRING_JUMBO)
    hits, opcodes = hits[keep], opcodes[keep]
    candidates: dict[int, tuple[str, int]] = {}
    last = words.size - 2
    for hit, op in zip(hits.tolist(), opcodes.tolist(), strict=True):
        ident = int(operand[hit])
        if op == CONST_STRING_JUMBO:
            ident |= int(words[hit + 2]) << 16 if hit < last else 0
        if ident in string_ids:
            candidates[(hit + start) * 2] = ("s", ident)
    return _confirm(dex, candidates, frozenset()) if candidates else []


def _walk(data: bytes, start: int, end: int, wanted: set[int], strings: set[int] | None) -> set[int]:
    """Decode instructions from `start`: the wanted offsets that are real instruction starts (and const-strings)."""
    confirmed: set[int] = set()
    stop = end if strings is not None else min(end, max(wanted) + 1)
    lengths = LENGTHS
    pos = start
    while pos < stop and pos + 1 < end:
        op = data[pos]
        if op == 0 and data[pos + 1]:
            pos += 2 * max(payload_length(data, pos, data[pos + 1] << 8), 1)
            continue
        if pos in wanted:
            confirmed.add(pos)
        elif strings is not None and op == CONST_STRING:
            strings.add(data[pos + 2] | data[pos + 3] << 8)
        elif strings is not None and op == CONST_STRING_JUMBO:
            strings.add(int.from_bytes(data[pos + 2 : pos + 6], "little"))
        pos += 2 * lengths[op]
    return confirmed


def _confirm(dex: DexFile, candidates: dict[int, tuple[str, int]], with_strings: frozenset[int],
             caller_types: np.ndarray | None = None) -> list[MethodRefs]:  # fmt: skip
    """Decode the methods holding candidates; with `caller_types` (type ids), only methods of those classes."""
    codes, owners = method_code_index(dex)
    allowed = None if caller_types is None else set(np.flatnonzero(np.isin(dex.methods["cls"], caller_types)).tolist())
    code_list = codes.tolist()
    by_code: dict[int, list[int]] = {}
    for pos in candidates:
        i = bisect_right(code_list, pos) - 1
        if i >= 0:
            by_code.setdefault(i, []).append(pos)
    data = dex.data
    found: list[MethodRefs] = []
    for i in sorted(by_code):
        start, end = code_bounds(dex, code_list[i])
        wanted = {p for p in by_code[i] if start <= p < end}
        if not wanted or (allowed is not None and int(owners[i]) not in allowed):
            continue
        refs = MethodRefs(int(owners[i]))
        need_strings = any(candidates[p][0] == "m" and candidates[p][1] in with_strings for p in wanted)
        for pos in _walk(data, start, end, wanted, refs.strings if need_strings else None):
            kind, ident = candidates[pos]
            {"m": refs.methods, "f": refs.fields, "s": refs.loaded}[kind].add(ident)
        if refs.methods or refs.fields or refs.loaded:
            found.append(refs)
    return found

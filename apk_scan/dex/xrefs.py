"""Find instructions referencing given method/field ids without decoding every method.

A numpy pass finds 16-bit words equal to a target id right after an invoke / sget opcode;
only the methods holding such candidates are then decoded to confirm them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from apk_scan.dex.code import code_bounds, instruction_ends, method_code_index
from apk_scan.dex.opcodes import CONST_STRING, CONST_STRING_JUMBO, INVOKE_OPS, LENGTHS, SGET_OPS, payload_length
from apk_scan.dex.reader import DexError, DexFile


@dataclass
class MethodRefs:
    """What one calling method references among the targets."""

    method_idx: int
    methods: set[int] = field(default_factory=set)  # invoked target method ids
    fields: set[int] = field(default_factory=set)  # read target field ids
    strings: set[int] = field(default_factory=set)  # const-string ids loaded by the method (only when asked)
    loaded: set[int] = field(default_factory=set)  # target string ids loaded (find_string_users)


_REF_OPS = np.zeros(256, dtype=bool)
_REF_OPS[list(INVOKE_OPS | SGET_OPS)] = True
_STRING_OPS = np.zeros(256, dtype=bool)
_STRING_OPS[[CONST_STRING, CONST_STRING_JUMBO]] = True
_CANDIDATE_OPS = _REF_OPS | _STRING_OPS
BLOCK = 1 << 20  # code words looked at a time when finding candidates
_BYTE_LENGTHS = [2 * units for units in LENGTHS]


class CodeWords(NamedTuple):
    """The 16-bit words of a DEX from its data section on (`start`, in words) that may open an invoke, sget or
    const-string instruction (their low byte is such an opcode), with the id operand word that follows each:
    found once per DEX, then every id search below only looks at these."""

    start: int
    words: np.ndarray  # every word from `start` on
    hits: np.ndarray  # word index (from `start`) of each candidate, ascending
    opcodes: np.ndarray
    operands: np.ndarray


def code_words(dex: DexFile) -> CodeWords:
    """The candidate words of this DEX (computed once per DexFile)."""
    cached = dex.__dict__.get("_code_words")
    if cached is None:
        data = dex.data
        start = (max(dex.data_off, 0x70) // 2) if dex.data_off < len(data) else 0x38
        words = np.frombuffer(data, "<u2", count=len(data) // 2)[start:]
        lo, hi = _instruction_span(dex, start, words.size - 1)  # the last word has no operand after it
        low = np.frombuffer(data, np.uint8, count=2 * (len(data) // 2))[2 * (start + lo) : 2 * (start + hi) : 2]
        hits = np.concatenate([np.flatnonzero(_CANDIDATE_OPS[low[at : at + BLOCK]]) + at
                               for at in range(0, low.size, BLOCK)] or [np.zeros(0, np.intp)])  # fmt: skip  # blocks: little memory
        opcodes = low[hits]
        hits += lo
        if len(data) < 1 << 31:
            hits = hits.astype(np.int32)  # kept while the DEX is: half the memory, and byte offsets still fit
        cached = CodeWords(start, words, hits, opcodes, words[hits + 1])
        dex.__dict__["_code_words"] = cached
    return cached


def _instruction_span(dex: DexFile, start: int, count: int) -> tuple[int, int]:
    """[lo, hi) of the word indices (from `start`, at most `count`) that lie in some method's instructions: a word
    outside every code item is never confirmed, so it need not be a candidate. The whole range when unsure."""
    data = dex.data
    try:
        codes, _ = method_code_index(dex)
    except (DexError, IndexError, ValueError, OverflowError):
        return 0, count  # the searches meet the same problem, where they did before
    if codes.size == 0:
        return 0, 0
    if int(codes[-1]) + 16 > len(data):
        return 0, count
    first, last = int(codes[0]) + 16, int(instruction_ends(dex, codes).max())
    lo, hi = max(0, -(-first // 2) - start), min(count, -(-last // 2) - start)
    return lo, max(lo, hi)


def _lut(ids: Iterable[int]) -> np.ndarray:
    table = np.zeros(65536, dtype=bool)
    wanted = np.fromiter(ids, dtype=np.int64)
    table[wanted[(wanted >= 0) & (wanted < 65536)]] = True
    return table


def find_refs(dex: DexFile, method_ids: set[int], field_ids: set[int], with_strings: frozenset[int] = frozenset(),
              caller_types: np.ndarray | None = None) -> list[MethodRefs]:  # fmt: skip
    """Calling methods of the target method ids (invoke-*) and readers of the target field ids (sget*).

    For callers of a method id in `with_strings`, the const-string ids the caller loads are collected too;
    `caller_types` (type ids) keeps only callers defined in those classes (and skips decoding the others).
    """
    if not method_ids and not field_ids:
        return []
    words = code_words(dex)
    keep = _lut(method_ids | field_ids)[words.operands] & _REF_OPS[words.opcodes]
    if not keep.any():
        return []
    positions = (words.hits[keep] + words.start) * 2
    candidates: dict[int, tuple[str, int]] = {}
    for pos, op, ident in zip(positions.tolist(), words.opcodes[keep].tolist(), words.operands[keep].tolist(), strict=True):
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
    words = code_words(dex)
    keep = _lut({i & 0xFFFF for i in string_ids})[words.operands] & _STRING_OPS[words.opcodes]
    if not keep.any():
        return []
    candidates: dict[int, tuple[str, int]] = {}
    last = words.words.size - 2
    for hit, op, ident in zip(words.hits[keep].tolist(), words.opcodes[keep].tolist(), words.operands[keep].tolist(), strict=True):
        if op == CONST_STRING_JUMBO:
            ident |= int(words.words[hit + 2]) << 16 if hit < last else 0
        if ident in string_ids:
            candidates[(hit + words.start) * 2] = ("s", ident)
    return _confirm(dex, candidates, frozenset()) if candidates else []


def _walk(data: bytes, start: int, end: int, wanted: set[int], strings: set[int] | None) -> set[int]:
    """Decode instructions from `start`: the wanted offsets that are real instruction starts (and const-strings)."""
    confirmed: set[int] = set()
    collect = strings is not None
    stop = end if collect else min(end, max(wanted) + 1)
    sizes = _BYTE_LENGTHS
    pos = start
    while pos < stop and pos + 1 < end:
        op = data[pos]
        if op == 0 and data[pos + 1]:
            pos += 2 * max(payload_length(data, pos, data[pos + 1] << 8), 1)
            continue
        if pos in wanted:
            confirmed.add(pos)
        elif collect and op == CONST_STRING:
            strings.add(data[pos + 2] | data[pos + 3] << 8)  # type: ignore[union-attr]
        elif collect and op == CONST_STRING_JUMBO:
            strings.add(int.from_bytes(data[pos + 2 : pos + 6], "little"))  # type: ignore[union-attr]
        pos += sizes[op]
    return confirmed


def _confirm(dex: DexFile, candidates: dict[int, tuple[str, int]], with_strings: frozenset[int],
             caller_types: np.ndarray | None = None) -> list[MethodRefs]:  # fmt: skip
    """Decode the methods holding candidates; with `caller_types` (type ids), only methods of those classes."""
    codes, owners = method_code_index(dex)
    allowed = None if caller_types is None else np.isin(dex.methods["cls"], caller_types)
    by_code = group_by_code(codes, list(candidates))
    items = sorted(by_code)
    data = dex.data
    found: list[MethodRefs] = []
    for i, code, method_idx in zip(items, codes[items].tolist(), owners[items].tolist(), strict=True):
        start, end = code_bounds(dex, code)
        wanted = {p for p in by_code[i] if start <= p < end}
        if not wanted or (allowed is not None and not (method_idx < allowed.size and allowed[method_idx])):
            continue
        refs = MethodRefs(method_idx)
        need_strings = any(candidates[p][0] == "m" and candidates[p][1] in with_strings for p in wanted)
        for pos in _walk(data, start, end, wanted, refs.strings if need_strings else None):
            kind, ident = candidates[pos]
            if kind == "m":
                refs.methods.add(ident)
            elif kind == "f":
                refs.fields.add(ident)
            else:
                refs.loaded.add(ident)
        if refs.methods or refs.fields or refs.loaded:
            found.append(refs)
    return found


def group_by_code(codes: np.ndarray, positions: list[int]) -> dict[int, list[int]]:
    """Byte positions grouped by the index of the code item (sorted offsets `codes`) they may lie in."""
    at = np.searchsorted(codes, np.array(positions, dtype=np.int64), side="right") - 1
    by_code: dict[int, list[int]] = {}
    for pos, i in zip(positions, at.tolist(), strict=True):
        if i >= 0:
            by_code.setdefault(i, []).append(pos)
    return by_code

"""Decode one method's instructions: the calls it makes (in order, with argument registers), the strings
it loads and the classes it instantiates.

Used for the few methods the launch analysis walks, not for whole DEX files. Register values are tracked
only for literal constants (`const/4`, `const/16`, `const`) in straight-line order: a register is "known"
from a constant load until the next instruction that visibly writes it. That is enough to tell
`setAgreePrivacy(ctx, true)` from `setAgreePrivacy(ctx, agreed)`; branches are not followed.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from apk_scan.dex.code import code_bounds
from apk_scan.dex.opcodes import CONST_STRING, CONST_STRING_JUMBO, LENGTHS, payload_length
from apk_scan.dex.reader import DexFile

INVOKE_35C = frozenset(range(0x6E, 0x73))
INVOKE_3RC = frozenset(range(0x74, 0x79))
STATIC_INVOKES = frozenset((0x71, 0x77))
NEW_INSTANCE = 0x22
CONST_4, CONST_16, CONST_32 = 0x12, 0x13, 0x14
# Instructions whose vAA (full byte 1) is a destination: move-result*, move-exception, const-wide*, const/high16,
# const-string*, const-class, check-cast… (a conservative list; anything writing vAA clears the known constant).
WRITES_AA = frozenset((0x0A, 0x0B, 0x0C, 0x0D, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x22, *range(0x44, 0x4B),
                       *range(0x60, 0x67), *range(0x90, 0xB0), *range(0xD8, 0xE3)))  # fmt: skip
# Instructions whose vA (low nibble of byte 1) is a destination: move, move-object, array-length, instance-of, iget*, unops…
WRITES_A = frozenset((0x01, 0x04, 0x07, 0x20, 0x21, 0x23, *range(0x52, 0x59), *range(0x7B, 0x90), *range(0xB0, 0xD8)))
WRITES_AAAA = frozenset((0x02, 0x03, 0x05, 0x06, 0x08, 0x09))  # move/from16 (vAA) and move/16 (vAAAA) destinations


class Invoke(NamedTuple):
    """One call instruction."""

    method_idx: int
    registers: tuple[int, ...]
    static: bool
    constants: tuple[int | None, ...]  # the literal value of each argument register, when known


@dataclass
class MethodBody:
    """What a method does, in instruction order."""

    invokes: list[Invoke] = field(default_factory=list)
    strings: list[int] = field(default_factory=list)
    new_instances: list[int] = field(default_factory=list)


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value & (1 << (bits - 1)) else value


def decode_body(dex: DexFile, code_off: int) -> MethodBody:
    """Invokes, const-strings and new-instance types of the code item at `code_off`."""
    data = dex.data
    start, end = code_bounds(dex, code_off)
    body = MethodBody()
    known: dict[int, int] = {}
    pos = start
    while pos + 1 < end:
        op = data[pos]
        b1 = data[pos + 1]
        if op == 0 and b1:
            pos += 2 * max(payload_length(data, pos, b1 << 8), 1)
            continue
        if pos + 2 * LENGTHS[op] > end:
            break
        if op in INVOKE_35C or op in INVOKE_3RC:
            idx = data[pos + 2] | data[pos + 3] << 8
            if op in INVOKE_35C:
                count, g = b1 >> 4, b1 & 0xF
                word = data[pos + 4] | data[pos + 5] << 8
                regs = (word & 0xF, word >> 4 & 0xF, word >> 8 & 0xF, word >> 12, g)[:count]
            else:
                first = data[pos + 4] | data[pos + 5] << 8
                regs = tuple(range(first, first + b1))
            body.invokes.append(Invoke(idx, regs, op in STATIC_INVOKES, tuple(known.get(r) for r in regs)))
        elif op == CONST_4:
            known[b1 & 0xF] = _signed(b1 >> 4, 4)
        elif op == CONST_16:
            known[b1] = _signed(data[pos + 2] | data[pos + 3] << 8, 16)
        elif op == CONST_32:
            known[b1] = _signed(int.from_bytes(data[pos + 2 : pos + 6], "little"), 32)
        else:
            if op == CONST_STRING:
                body.strings.append(data[pos + 2] | data[pos + 3] << 8)
            elif op == CONST_STRING_JUMBO:
                body.strings.append(int.from_bytes(data[pos + 2 : pos + 6], "little"))
            elif op == NEW_INSTANCE:
                body.new_instances.append(data[pos + 2] | data[pos + 3] << 8)
            if op in WRITES_AA:
                known.pop(b1, None)
            elif op in WRITES_A:
                known.pop(b1 & 0xF, None)
            elif op in WRITES_AAAA:
                known.pop(b1 if op in (0x02, 0x05, 0x08) else data[pos + 2] | data[pos + 3] << 8, None)
        pos += 2 * LENGTHS[op]
    return body


def shorty(dex: DexFile, method_idx: int) -> str:
    """The short signature of a method id (`VLZ`: returns void, takes an object and a boolean)."""
    proto_idx = int(dex.methods[method_idx]["type"])
    size, offset = (int.from_bytes(dex.data[o : o + 4], "little") for o in (0x48, 0x4C))
    if proto_idx >= size or offset + 12 * (proto_idx + 1) > len(dex.data):
        return "V"
    item = offset + 12 * proto_idx
    return dex.string(int.from_bytes(dex.data[item : item + 4], "little"))


def parameter_registers(dex: DexFile, invoke: Invoke) -> list[int]:
    """Index into `invoke.registers` of each declared parameter (wide types take two registers)."""
    signature = shorty(dex, invoke.method_idx)
    positions: list[int] = []
    i = 0 if invoke.static else 1
    for kind in signature[1:]:
        positions.append(i)
        i += 2 if kind in "JD" else 1
    return positions


def boolean_argument(dex: DexFile, invoke: Invoke) -> bool | None:
    """The literal value of the call's last boolean parameter, or None when it is not a known constant."""
    signature = shorty(dex, invoke.method_idx)
    positions = parameter_registers(dex, invoke)
    for kind, pos in reversed(list(zip(signature[1:], positions, strict=True))):
        if kind == "Z":
            value = invoke.constants[pos] if pos < len(invoke.constants) else None
            return None if value is None else bool(value)
    return None

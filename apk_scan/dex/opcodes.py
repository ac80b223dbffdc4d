"""Dalvik instruction lengths (in 16-bit code units) and the opcodes the scanner looks for."""

INVOKE_OPS = frozenset(range(0x6E, 0x73)) | frozenset(range(0x74, 0x79))  # invoke-kind and invoke-kind/range
SGET_OPS = frozenset(range(0x60, 0x67))
CONST_STRING = 0x1A
CONST_STRING_JUMBO = 0x1B


def _lengths() -> list[int]:
    table = [1] * 256
    spans = {
        2: [0x02, 0x05, 0x08, 0x13, 0x15, 0x16, 0x19, 0x1A, 0x1C, 0x1F, 0x20, 0x22, 0x23, 0x29, *range(0x2D, 0x3E),
            *range(0x44, 0x6E), *range(0x90, 0xB0), *range(0xD0, 0xE3), 0xFE, 0xFF],
        3: [0x03, 0x06, 0x09, 0x14, 0x17, 0x1B, 0x24, 0x25, 0x26, 0x2A, 0x2B, 0x2C, *range(0x6E, 0x73), *range(0x74, 0x79), 0xFC, 0xFD],
        4: [0xFA, 0xFB],
        5: [0x18],
    }  # fmt: skip
    for length, ops in spans.items():
        for op in ops:
            table[op] = length
    return table


LENGTHS = _lengths()


def payload_length(insns: memoryview | bytes, pos: int, unit: int) -> int:
    """Length in code units of a switch / array payload starting at byte `pos` (unit = first code unit; 1 if none)."""
    if unit == 0x0100:  # packed-switch-payload: ident, size, first_key(2), targets(size*2)
        size = insns[pos + 2] | insns[pos + 3] << 8
        return 4 + size * 2
    if unit == 0x0200:  # sparse-switch-payload: ident, size, keys(size*2), targets(size*2)
        size = insns[pos + 2] | insns[pos + 3] << 8
        return 2 + size * 4
    if unit == 0x0300:  # fill-array-data-payload: ident, width, size(2), data
        width = insns[pos + 2] | insns[pos + 3] << 8
        size = int.from_bytes(insns[pos + 4 : pos + 8], "little")
        return 4 + (size * width + 1) // 2
    return 1

"""ULEB128 decoding (DEX variable-length integers)."""


def read_uleb128(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    """(value, next position) of the ULEB128 at `pos`."""
    byte = data[pos]
    if byte < 0x80:
        return byte, pos + 1
    value = byte & 0x7F
    shift = 7
    pos += 1
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos += 1
        if byte < 0x80 or shift >= 28:
            return value, pos
        shift += 7

"""Modified UTF-8 (DEX strings): NUL as C0 80 and supplementary characters as surrogate pairs."""


def decode_mutf8(raw: bytes) -> str:
    """Decode DEX MUTF-8 bytes; malformed bytes become U+FFFD rather than an error."""
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        pass
    text = raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", errors="surrogatepass")
    try:
        return text.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", errors="replace")

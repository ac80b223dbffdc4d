"""Build a real text-layer PDF by hand (no PDF writer with CJK fonts is installed).

The page draws each line with a Type0/Identity-H font whose ToUnicode CMap maps every glyph id
back to its character, which is exactly what PDF text extraction reads. No font program is
embedded, so viewers would show boxes, but the text layer is genuine.
"""


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `lines`."""
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: index + 1 for index, ch in enumerate(chars)}
    content = ["BT", "/F1 12 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        content.append("<" + "".join(f"{cid[ch]:04X}" for ch in line) + "> Tj T*")
    content.append("ET")
    stream = "\n".join(content).encode("ascii")
    bfchar = "\n".join(f"<{cid[ch]:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchar}\nendbfchar\nendcmap\n"
        "CMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /CandorTest /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /CandorTest /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity)"
        b" /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /CandorTest /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880"
        b" /Descent -120 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)

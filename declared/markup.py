"""Format-specific readers: each turns a document into `Line`s (tables become rows with cells)."""

import io
import re
from bisect import bisect_right

from candor.errors import InputError
from declared.doc import Cell, Line
from declared.textnorm import clean, is_blank, strip_pinyin_noise

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "dl",
        "tr",
        "table",
        "title",
        "br",
        "hr",
        "nav",
        "aside",
        "main",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "head", "template", "svg"])
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~|`)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_HTML_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_HTML_CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t[hd]\s*>", re.IGNORECASE | re.DOTALL)


class _Positions:
    """Line number and offset for any character offset of the decoded text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def offset_of(self, line: int, column: int = 0) -> int:
        return self.starts[min(line, len(self.starts)) - 1] + column


def text_lines(text: str) -> list[Line]:
    """Plain text: one Line per physical line (blank lines kept, they carry layout)."""
    lines: list[Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), 1):
        lead = len(raw) - len(raw.lstrip(" \t\u00a0\u3000\ufeff"))
        lines.append(Line(text=strip_pinyin_noise(clean(raw)), line=number, offset=offset + lead, raw=raw))
        offset += len(raw) + 1
    return lines


def markdown_lines(text: str) -> list[Line]:
    """Markdown: HTML tables become rows, markup is stripped, link targets are kept."""
    positions = _Positions(text)
    tables = [(m.start(), m.end()) for m in _HTML_TABLE.finditer(text)]
    lines: list[Line] = []
    cursor = 0
    for start, end in tables:
        lines.extend(_md_plain(text[cursor:start], positions, cursor))
        lines.extend(_html_table_rows(text, start, end, positions))
        cursor = end
    lines.extend(_md_plain(text[cursor:], positions, cursor))
    return lines


def _md_plain(chunk: str, positions: _Positions, base: int) -> list[Line]:
    out: list[Line] = []
    offset = base
    for raw in chunk.split("\n"):
        cleaned = _md_clean(raw)
        lead = len(raw) - len(raw.lstrip())
        out.append(Line(text=strip_pinyin_noise(cleaned), line=positions.line_of(offset + lead), offset=offset + lead, raw=raw))
        offset += len(raw) + 1
    return out


def _md_clean(raw: str) -> str:
    text = _BR.sub(" ", raw)
    text = _MD_LINK.sub(lambda m: m.group(2) if clean(m.group(1)) in ("", m.group(2)) else f"{m.group(1)} {m.group(2)}", text)
    text = _TAG.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    return clean(text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def _html_table_rows(text: str, start: int, end: int, positions: _Positions) -> list[Line]:
    rows: list[Line] = []
    for row in _HTML_ROW.finditer(text, start, end):
        cells: list[Cell] = []
        for cell in _HTML_CELL.finditer(row.group(0)):
            at = row.start() + cell.start()
            value = clean(re.sub(r"\s+", " ", _TAG.sub("", _BR.sub("；", cell.group(2)))).replace("&nbsp;", " "))
            cells.append(Cell(strip_pinyin_noise(value), positions.line_of(at), at))
        if cells:
            rows.append(_row_line(cells))
    return rows


def _row_line(cells: list[Cell]) -> Line:
    joined = " | ".join(c.text for c in cells)
    return Line(text=joined, line=cells[0].line, offset=cells[0].offset, raw=joined, cells=cells)


def html_lines(text: str) -> list[Line]:
    """HTML: block elements become lines, <table> rows become rows; positions from the source."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment

    soup = BeautifulSoup(text, "html.parser")
    positions = _Positions(text)
    lines: list[Line] = []
    buffer: list[str] = []
    where: list[int] = []

    def at(node: Tag) -> int:
        line = getattr(node, "sourceline", None) or 1
        return positions.offset_of(line, getattr(node, "sourcepos", 0) or 0)

    def flush() -> None:
        joined = clean(re.sub(r"[ \t\r\n\u00a0]+", " ", "".join(buffer)))
        if joined:
            offset = where[0] if where else 0
            lines.append(Line(text=strip_pinyin_noise(joined), line=positions.line_of(offset), offset=offset, raw=joined))
        buffer.clear()
        where.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                if not where and clean(str(child)):
                    where.append(at(child.parent) if isinstance(child.parent, Tag) else 0)
                buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
                continue
            if child.name == "table":
                flush()
                lines.extend(_soup_table(child, at, positions))
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                flush()
            walk(child)
            if block:
                flush()

    walk(soup)
    flush()
    return lines


def _soup_table(table, at, positions: _Positions) -> list[Line]:  # type: ignore[no-untyped-def]
    rows: list[Line] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells = []
        for td in tr.find_all(["td", "th"], recursive=False):
            for br in td.find_all("br"):
                br.replace_with("；")
            value = clean(re.sub(r"[ \t\r\n\u00a0]+", " ", td.get_text(" ")))
            offset = at(td)
            cells.append(Cell(strip_pinyin_noise(value), positions.line_of(offset), offset))
        if cells:
            rows.append(_row_line(cells))
    return rows


def docx_lines(data: bytes, name: str) -> list[Line]:
    """DOCX: paragraphs and tables in body order; `line` is the paragraph/row number."""
    try:
        from docx import Document as open_docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = open_docx(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{name}: not a readable DOCX ({type(exc).__name__})") from None
    lines: list[Line] = []
    offset = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = clean(block.text)
            lines.append(Line(text=strip_pinyin_noise(text), line=len(lines) + 1, offset=offset, raw=text))
            offset += len(text) + 1
        elif isinstance(block, Table):
            for row in block.rows:
                cells = []
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    value = clean(re.sub(r"\s+", " ", cell.text))
                    cells.append(Cell(strip_pinyin_noise(value), len(lines) + 1, offset))
                    offset += len(value) + 3
                lines.append(_row_line(cells))
    return lines


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, pages joined; refuses PDFs without one."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages[:500]]
    except Exception as exc:
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    text = "\n".join(pages)
    if is_blank(text):
        raise InputError(f"{name}: PDF has no text layer (scanned image?)")
    return text

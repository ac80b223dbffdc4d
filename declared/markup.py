"""Format-specific readers: each turns a document into `Line`s (tables become rows with cells)."""

import io
import re
import warnings
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
# Linear on hostile text: link text holds no '[' and the target no '(' (so a failed match stops at the next
# link start) and both are taken possessively: a run of '[' or of unclosed links is passed over once.
_MD_LINK = re.compile(r"!?\[([^\[\]]*+)\]\(([^()\s]++)(?:\s[^()]*+)?\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~|`)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
# `_相机_权限`, `*读取*短信`: single emphasis (never inside a constant such as READ_PHONE_STATE)
_MD_SINGLE_EMPHASIS = re.compile(r"(?<![A-Za-z0-9*_\\])[*_]([^*_\n]+?)[*_](?![A-Za-z0-9*_])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?|:::)\s*[\w-]*\s*(?:\"([^\"]*)\"|(.*))$")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Element spans are found opener-then-first-closer (`_spans`), never with a lazy `.*?` that rescans the
# rest of the text from every unclosed opener.
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)
_ROW_OPEN = re.compile(r"<tr\b", re.IGNORECASE)
_ROW_CLOSE = re.compile(r"</tr\s*>", re.IGNORECASE)
_CELL_OPEN = re.compile(r"<t[hd]\b[^<>]*+>", re.IGNORECASE)
_CELL_CLOSE = re.compile(r"</t[hd]\s*>", re.IGNORECASE)
MAX_DOCX_MEMBERS = 5_000
MAX_DOCX_XML = 16 * 1024 * 1024  # one inflated XML part; a long policy's document.xml is a few MB
MAX_DOCX_MEMBER = 64 * 1024 * 1024
MAX_DOCX_TOTAL = 128 * 1024 * 1024  # everything python-docx loads, images included
MAX_DOCX_CELLS = 200_000
MAX_PDF_SECONDS = 20.0
MAX_PDF_PAGES = 500
MAX_PDF_CHARS = 1_000_000  # the text every page yields, in total: no privacy policy is longer


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
    """Markdown: HTML tables become rows, markup is stripped, link targets are kept.

    YAML front matter is blanked (its line count kept) and `!!! note "title"` admonitions keep their title and
    their indented body as ordinary text.
    """
    text = _without_front_matter(text)
    positions = _Positions(text)
    tables = [(start, end) for start, _, _, end in _spans(text, _TABLE_OPEN, _TABLE_CLOSE, 0, len(text))]
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


def _without_front_matter(text: str) -> str:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    block = match.group(0)
    return re.sub(r"[^\n]", " ", block) + text[len(block) :]  # same length: offsets and line numbers stay true


def _md_clean(raw: str) -> str:
    text = _ADMONITION.sub(lambda m: m.group(1) or m.group(2) or "", raw)
    text = _BR.sub(" ", text)
    text = _MD_LINK.sub(lambda m: m.group(2) if clean(m.group(1)) in ("", m.group(2)) else f"{m.group(1)} {m.group(2)}", text)
    text = _TAG.sub("", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub("", text)
    text = _MD_SINGLE_EMPHASIS.sub(r"\1", text)
    text = _MD_ESCAPE.sub(r"\1", text)  # `8\. 标题`
    return clean(text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def _html_table_rows(text: str, start: int, end: int, positions: _Positions) -> list[Line]:
    rows: list[Line] = []
    for row_start, _, _, row_end in _spans(text, _ROW_OPEN, _ROW_CLOSE, start, end):
        cells: list[Cell] = []
        for at, inner_start, inner_end, _ in _spans(text, _CELL_OPEN, _CELL_CLOSE, row_start, row_end):
            value = clean(re.sub(r"\s+", " ", _TAG.sub("", _BR.sub("；", text[inner_start:inner_end]))).replace("&nbsp;", " "))
            cells.append(Cell(strip_pinyin_noise(value), positions.line_of(at), at))
        if cells:
            rows.append(_row_line(cells))
    return rows


def _spans(text: str, opener: re.Pattern[str], closer: re.Pattern[str], start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(start, inner start, inner end, end) of each opener..first-closer span in text[start:end], in linear time."""
    out: list[tuple[int, int, int, int]] = []
    position = start
    while (opened := opener.search(text, position, end)) is not None:
        closed = closer.search(text, opened.end(), end)
        if closed is None:
            break  # no closer after this opener, so none after any later one either
        out.append((opened.start(), opened.end(), closed.start(), closed.end()))
        position = closed.end()
    return out


def _row_line(cells: list[Cell]) -> Line:
    joined = " | ".join(c.text for c in cells)
    return Line(text=joined, line=cells[0].line, offset=cells[0].offset, raw=joined, cells=cells)


def html_lines(text: str) -> list[Line]:
    """HTML: block elements become lines, <table> rows become rows; positions from the source."""
    from bs4 import BeautifulSoup, NavigableString, Tag
    from bs4.element import Comment

    with warnings.catch_warnings():  # bs4's advice (XML parsed as HTML, text that looks like a URL) is not for the user
        warnings.simplefilter("ignore")
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
            grid = _div_grid(child) if child.name in ("div", "section", "ul", "dl") else None
            if grid:  # `<div class="table"><p><span>SDK名称</span><span>场景</span>…`: a table made of blocks
                flush()
                lines.extend(_grid_rows(grid, at, positions))
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


def _div_grid(container):  # type: ignore[no-untyped-def]
    """Rows (lists of cell elements) of a block container laid out as a table whose first row is a header, else None."""
    from bs4 import Tag

    from declared.headers import classify_header_row

    rows = []
    for row in container.find_all(recursive=False):
        if not isinstance(row, Tag):
            continue
        cells = [c for c in row.find_all(recursive=False) if isinstance(c, Tag) and c.name in ("span", "div", "p", "dd", "dt", "li")]
        if len(cells) < 2:
            return None if not rows else rows if len(rows) >= 2 else None
        rows.append(cells)
    if len(rows) < 2 or classify_header_row([clean(c.get_text(" ")) for c in rows[0]]) is None:
        return None
    return rows


def _grid_rows(rows, at, positions: _Positions) -> list[Line]:  # type: ignore[no-untyped-def]
    out: list[Line] = []
    for row in rows:
        cells = []
        for cell in row:
            value = clean(re.sub(r"[ \t\r\n\u00a0]+", " ", cell.get_text(" ")))
            link = cell.find("a", href=True)
            if link is not None and link["href"] not in value:
                value = f"{value} {link['href']}".strip()
            offset = at(cell)
            cells.append(Cell(strip_pinyin_noise(value), positions.line_of(offset), offset))
        out.append(_row_line(cells))
    return out


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


def docx_lines(data: bytes, name: str, notes: list[str] | None = None) -> list[Line]:
    """DOCX: paragraphs and tables in body order; `line` is the paragraph/row number.

    The zip's declared sizes are checked before python-docx inflates anything, and table rows are read
    cell by cell in one pass (a huge gridSpan or a long vertical merge costs nothing extra).
    """
    notes = [] if notes is None else notes
    _check_docx_zip(data, name)
    try:
        from docx import Document as open_docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = open_docx(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"{name}: not a readable DOCX ({type(exc).__name__})") from None
    lines: list[Line] = []
    offset = 0
    cells_left = MAX_DOCX_CELLS
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = clean(block.text)
            lines.append(Line(text=strip_pinyin_noise(text), line=len(lines) + 1, offset=offset, raw=text))
            offset += len(text) + 1
        elif isinstance(block, Table):
            for texts in _docx_rows(block):
                cells_left -= len(texts)
                if cells_left < 0:
                    notes.append(f"{name}: stopped reading tables after {MAX_DOCX_CELLS:,} cells")
                    return lines
                cells = []
                for raw in texts:
                    value = clean(re.sub(r"\s+", " ", raw))
                    cells.append(Cell(strip_pinyin_noise(value), len(lines) + 1, offset))
                    offset += len(value) + 3
                lines.append(_row_line(cells))
    return lines


def _check_docx_zip(data: bytes, name: str) -> None:
    import zipfile

    from candor.inputs import check_zip

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, name, max_members=MAX_DOCX_MEMBERS, max_member=MAX_DOCX_MEMBER, max_total=MAX_DOCX_TOTAL)
            for info in archive.infolist():
                if info.filename.lower().endswith((".xml", ".rels")) and info.file_size > MAX_DOCX_XML:
                    raise InputError(f"{name}: DOCX part {info.filename[:80]} is {info.file_size >> 20} MB of XML "
                                     f"(limit {MAX_DOCX_XML >> 20} MB)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{name}: not a readable DOCX ({type(exc).__name__})") from None


def _docx_rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Each row's cell texts: a horizontally spanned cell once, a vertically merged one as its top cell's text."""
    from docx.table import _Cell

    above: dict[int, str] = {}  # grid column -> text of the cell that starts there in the rows so far
    rows: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        column = min(tr.grid_before, 10_000)
        texts: list[str] = []
        current: dict[int, str] = {}
        for tc in tr.tc_lst:
            text = above.get(column, "") if tc.vMerge == "continue" else _Cell(tc, table).text
            texts.append(text)
            current[column] = text
            column += max(1, min(tc.grid_span, 10_000))
        above = current
        rows.append(texts)
    return rows


def pdf_text(data: bytes, name: str, notes: list[str] | None = None) -> str:
    """The text layer of a PDF, pages joined; refuses PDFs without one.

    pypdf's own warnings go to `notes` (one line each), never to stderr. pypdf caps each stream it
    inflates; across streams, reading stops with a note after MAX_PDF_PAGES pages, MAX_PDF_CHARS
    characters of text in total or MAX_PDF_SECONDS, whichever comes first.
    """
    import time

    from candor.inputs import quiet_library_logs

    notes = [] if notes is None else notes
    captured: list[str] = []
    pages: list[str] = []
    total = 0
    deadline = time.monotonic() + MAX_PDF_SECONDS
    try:
        with quiet_library_logs("pypdf", into=captured):
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            for number, page in enumerate(reader.pages[:MAX_PDF_PAGES], 1):
                pages.append(page.extract_text() or "")
                total += len(pages[-1])
                if number == len(reader.pages):
                    break
                if total > MAX_PDF_CHARS:
                    notes.append(f"{name}: stopped after page {number}: over {MAX_PDF_CHARS:,} characters of text")
                    break
                if time.monotonic() > deadline:
                    notes.append(f"{name}: stopped after page {number}: reading the PDF took over {MAX_PDF_SECONDS:.0f} s")
                    break
    except Exception as exc:
        raise InputError(f"{name}: not a readable PDF ({type(exc).__name__})") from None
    finally:
        notes.extend(f"{name}: PDF: {message}" for message in dict.fromkeys(captured))
    text = "\n".join(pages)
    if is_blank(text):
        raise InputError(f"{name}: PDF has no text layer (scanned image?)")
    return text

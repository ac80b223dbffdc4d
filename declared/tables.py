"""Table recognisers, one per shape real policies use; each yields `Record`s.

Shapes: real rows (HTML/DOCX/Markdown-HTML tables), one-line pipe rows (`a | b | c |`), one cell per
line with a trailing `|`, and one cell per line with no separator (header of N cells, then rows that
may be shorter). Tables are recognised by what their header cells mean, never by exact strings.
"""

import re
from collections import Counter
from collections.abc import Callable

from candor.model.common import Source
from declared.cellroles import best_role, cell_roles, fit_columns
from declared.doc import Cell, Line
from declared.headers import classify_header, classify_header_row, table_kind
from declared.records import Field, Record
from declared.textnorm import clean

_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十]+[章节条]|\d{1,2}(\.\d{1,2}){1,3}\s+\S)"
)
_SPACE_RUN = re.compile(r"\u3000+|[ \u3000\u00a0]{2,}")  # an ideographic space is a wide gap on its own
_NUMBERED_TITLE = re.compile(r"^\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[.、．]\s*\S")
KeyTest = Callable[[str, str], bool]


def split_pipes(text: str) -> list[str]:
    """Cells of a pipe row, without the empty ends."""
    parts = [clean(p) for p in text.split("|")]
    if parts and not parts[0]:
        parts = parts[1:]
    if parts and not parts[-1]:
        parts = parts[:-1]
    return parts


def find_tables(lines: list[Line], is_key: KeyTest, document: str | None) -> list[Record]:
    """Every table in the document, as records, in document order."""
    records: list[Record] = []
    used: set[int] = set()
    records += _row_tables(lines, used, is_key, document)
    records += _trailing_pipe_tables(lines, used, is_key, document)
    records += _bare_cell_tables(lines, used, is_key, document)
    records.sort(key=lambda r: (r.source.line or 0, r.source.offset or 0))
    return records


# -- shape 1: rows with several cells on one line ------------------------------------------------
def _row_cells(line: Line) -> list[Cell] | None:
    if line.cells is not None:
        return line.cells
    tabbed = "|" not in line.text and "\t" in line.raw.strip()
    if not tabbed and (line.text.count("|") < 1 or _SEPARATOR_ROW.match(line.text)):
        return None
    parts = [clean(p) for p in line.text.split("\t")] if tabbed else split_pipes(line.text)
    if len(parts) < 2:
        return None
    cells, cursor = [], 0
    for part in parts:
        at = line.text.find(part, cursor) if part else cursor
        cursor = max(cursor, at + len(part))
        cells.append(Cell(part, line.line, line.offset + max(at, 0)))
    raw_parts = [clean(p) for p in line.raw.strip().split("\t")] if tabbed else split_pipes(line.raw)
    if len(raw_parts) == len(cells):
        for cell, raw in zip(cells, raw_parts, strict=True):
            cell.raw = raw
    return cells


def _spaced_cells(line: Line) -> list[Cell] | None:
    """Cells of a row laid out with runs of two or more spaces between them (plain-text tables)."""
    if line.cells is not None or "|" in line.text:
        return None
    parts = [p for p in (clean(p) for p in _SPACE_RUN.split(line.raw.strip())) if p]
    if len(parts) < 2:
        return None
    cells, cursor = [], 0
    for part in parts:
        at = line.text.find(part, cursor)
        cursor = max(cursor, at + len(part))
        cells.append(Cell(part, line.line, line.offset + max(at, 0), part))
    return cells


def _row_tables(lines: list[Line], used: set[int], is_key: KeyTest, document: str | None) -> list[Record]:
    records: list[Record] = []
    i = 0
    while i < len(lines):
        split = _row_cells
        cells = _row_cells(lines[i])
        if cells is None and (cells := _spaced_cells(lines[i])) is not None:
            split = _spaced_cells  # a header laid out with spaces: its rows are too
        columns = classify_header_row([c.text for c in cells]) if cells else None
        if not columns:
            i += 1
            continue
        header = [c.text for c in cells or []]
        used.add(i)
        j = i + 1
        rows: list[tuple[int, list[Cell]]] = []
        while j < len(lines):
            line = lines[j]
            if _SEPARATOR_ROW.match(line.text) and line.cells is None:
                used.add(j)
                j += 1
                continue
            row = split(line)
            if row is None or classify_header_row([c.text for c in row]):
                break
            used.add(j)
            rows.append((j, row))
            j += 1
        columns = fit_columns(columns, [[c.text for c in row] for _j, row in rows], is_key)
        kind = table_kind(columns)
        carry: dict[int, Cell] = {}
        for at, row in rows:
            row = _carry_down(row, carry, columns)
            records.append(_record(kind, "table_row", columns, header, [[c] for c in row], document))
            records[-1].lines = {at}
        i = j
    return records


def _carry_down(row: list[Cell], carry: dict[int, Cell], columns: list[str | None]) -> list[Cell]:
    """Empty purpose/category cells (merged cells in the source) repeat the value above."""
    out = []
    for index, cell in enumerate(row):
        column = columns[index] if index < len(columns) else None
        if not cell.text and column in ("purpose", "category", "company") and index in carry:
            cell = Cell(carry[index].text, cell.line, cell.offset)
        if cell.text:
            carry[index] = cell
        out.append(cell)
    return out


# -- shape 2: one cell per line, each ending with `|` ----------------------------------------------
def _trailing_pipe_tables(lines: list[Line], used: set[int], is_key: KeyTest, document: str | None) -> list[Record]:
    records: list[Record] = []
    i = 0
    while i < len(lines):
        if i in used or not _is_trailing_cell(lines[i]):
            i += 1
            continue
        stream: list[int] = []
        j = i
        while j < len(lines) and (not lines[j].text or _is_trailing_cell(lines[j])) and j not in used:
            if lines[j].text:
                stream.append(j)
            j += 1
        cells = [[Cell(clean(lines[k].text.rstrip("|")), lines[k].line, lines[k].offset, clean(lines[k].raw).rstrip("|"))] for k in stream]
        records += _from_cell_stream(cells, stream, used, is_key, document)
        i = j
    return records


def _is_trailing_cell(line: Line) -> bool:
    return line.cells is None and line.text.endswith("|") and line.text.count("|") == 1 and len(line.text) > 1


# -- shape 3: one cell per line, nothing between cells but line breaks ---------------------------
def _bare_cell_tables(lines: list[Line], used: set[int], is_key: KeyTest, document: str | None) -> list[Record]:
    records: list[Record] = []
    content = [k for k, line in enumerate(lines) if line.text and k not in used and line.cells is None]
    position = 0
    while position < len(content):
        run = _header_run(lines, content, position)
        if not run:
            position += 1
            continue
        header_idx = content[position : position + run]
        gaps = [header_idx[n + 1] - header_idx[n] - 1 for n in range(len(header_idx) - 1)]
        cell_gap = Counter(gaps).most_common(1)[0][0] if gaps else 0
        # a title just above the header (`第三方SDK`) sits at another distance than the header cells
        while len(header_idx) > 3 and gaps[0] != cell_gap and classify_header_row([lines[k].text for k in header_idx[1:]]):
            header_idx, gaps = header_idx[1:], gaps[1:]
            position, run = position + 1, run - 1
        if len(header_idx) > 3 and _is_title(lines[header_idx[0]].text, [lines[k].text for k in header_idx[1:]]):
            header_idx, gaps = header_idx[1:], gaps[1:]
            position, run = position + 1, run - 1
        region: list[int] = []
        scan = position + run
        while scan < len(content):
            k = content[scan]
            if _HEADING.match(lines[k].text) or _header_run(lines, content, scan):
                break
            region.append(k)
            scan += 1
        gaps_from = [header_idx[-1], *region]
        best: tuple[int, list[Record], set[int]] | None = None
        # Cells are one line each, or (when the header cells sit closer together than body lines) blank-separated groups.
        for separator in sorted({cell_gap, 1} if cell_gap == 0 else {cell_gap}):
            body: list[list[int]] = []
            for n, k in enumerate(region):
                gap = k - gaps_from[n] - 1
                if body and separator > 0 and gap < separator:
                    body[-1].append(k)
                else:
                    body.append([k])
            cells = [[Cell(lines[k].text, lines[k].line, lines[k].offset, lines[k].raw) for k in group] for group in body]
            scratch: set[int] = set()
            found = _from_cell_stream_grouped(cells, header_idx, lines, scratch, is_key, document, body)
            score = sum(1 for r in found if _row_key_hit(r, is_key))
            if best is None or score > best[0]:
                best = (score, found, scratch)
        if columns_here := classify_header_row([lines[k].text for k in header_idx]):
            gap_rows = _gap_rows(lines, header_idx, region, columns_here, is_key, document)
            score = sum(1 for r in gap_rows if _row_key_hit(r, is_key))
            if gap_rows and (best is None or score >= best[0]):  # blank-line row breaks are evidence of their own
                best = (score, gap_rows, set(header_idx) | {k for r in gap_rows for k in r.lines})
        if best:
            records += best[1]
            used.update(best[2])
        position += run
        while position < len(content) and content[position] in used:
            position += 1
    return records


def _gap_rows(
    lines: list[Line], header_idx: list[int], region: list[int], columns: list[str | None], is_key: KeyTest, document: str | None
) -> list[Record]:
    """SDK rows of a flattened table whose rows are set apart by the widest recurring blank gap.

    Cells inside such rows drift (merged, split, missing), so each line after the name gets its role from its content.
    """
    if table_kind(columns) != "sdk" or len(region) < 4:
        return []
    name_column = columns.index("name") if "name" in columns else 0
    previous = [header_idx[-1], *region]
    gaps = [k - previous[n] - 1 for n, k in enumerate(region)]
    header_gap = max((header_idx[n + 1] - header_idx[n] - 1 for n in range(len(header_idx) - 1)), default=0)
    # a row starts with a name, never with a platform, a permission, data or a company
    heads = {k: _may_head(cell_roles(lines[k].text, is_key)) for k in region}
    best: tuple[int, list[list[int]]] | None = None
    for row_gap in sorted(g for g in set(gaps) if g >= 2 and g > header_gap and sum(1 for x in gaps if x >= g) >= 2):
        rows: list[list[int]] = []
        for gap, k in zip(gaps, region, strict=True):
            if not rows or (gap >= row_gap and heads[k]):
                rows.append([k])
            else:
                rows[-1].append(k)
        score = sum(1 if is_key("sdk", lines[row[0]].text) else -1 if not _key_like(lines[row[0]].text) else 0 for row in rows)
        if best is None or score > best[0]:
            best = (score, rows)
    if best is None:
        return []
    records: list[Record] = []
    rows = best[1]
    for row in rows:
        head = lines[row[0]]
        if not _key_like(head.text) or _NUMBERED_TITLE.match(head.text):
            break
        name_at = _name_line(lines, row, name_column, is_key)
        named = lines[row[name_at]]
        fields: dict[str, list[Field]] = {"name": [Field(named.text, "", named.line, named.offset)]}
        for n, k in enumerate(row):
            if n == name_at:
                continue
            role = best_role(lines[k].text, is_key)
            role = "category" if role == "name" or (n < name_at and role in ("other", "purpose")) else role
            fields.setdefault(role, []).append(Field(lines[k].text, "", lines[k].line, lines[k].offset))
        flat = " | ".join(clean(lines[k].raw) for k in row)
        source = Source(text=flat, line=head.line, offset=head.offset, document=document)
        records.append(Record(kind="table_row", table="sdk", fields=fields, source=source, lines=set(row)))
    return records


def _may_head(roles: dict[str, float]) -> bool:
    """A line that can open a row: a name or a neutral word, not a platform, a permission, data or a company."""
    strong = {role for role, score in roles.items() if score >= 0.5}
    return not strong - {"name", "purpose"}


def _name_line(lines: list[Line], row: list[int], name_column: int, is_key: KeyTest) -> int:
    """Which line of a drifted row names the SDK: the best name by content, else the one under the name header."""
    roles = [cell_roles(lines[k].text, is_key) if _key_like(lines[k].text) else {"sentence": 1.0} for k in row]
    scores = [r.get("name", 0.0) if not {k for k, v in r.items() if v >= 0.5} - {"name", "purpose"} else 0.0 for r in roles]
    best = max(scores)
    if best > 0:
        return scores.index(best)
    neutral = [n for n, r in enumerate(roles) if max(r.values(), default=0) < 0.5 and not re.search(r"[，,。：:]", lines[row[n]].text)]
    return min(neutral, key=lambda n: abs(n - name_column)) if neutral else min(name_column, len(row) - 1)


def _row_key_hit(record: Record, is_key: KeyTest) -> bool:
    """Whether a row's key cell is what its table lists (an SDK name, a permission)."""
    column = {"sdk": "name", "permission": "permission"}.get(record.table)
    field = record.first(column) if column else None
    return field is not None and "\n" not in field.text and is_key(record.table, field.text)


def _is_title(first: str, rest: list[str]) -> bool:
    """`第三方SDK` above `SDK名称 | 使用目的 | …`: a name-like title followed by a header with its own name column."""
    if classify_header(first) != "name" or any(w in first for w in ("名称", "名字", "名稱")):
        return False
    return "name" in (classify_header(c) for c in rest) and classify_header_row(rest) is not None


def _header_run(lines: list[Line], content: list[int], start: int) -> int:
    """Length of a header run (>= 3 header cells, one per line) starting at content[start], else 0."""
    end = start
    while end < len(content) and end - start < 12 and classify_header(lines[content[end]].text):
        # header cells sit at one distance from each other (a title above may sit closer): cells closing up end the run
        if end - start >= 2 and content[end] - content[end - 1] < content[end - 1] - content[end - 2]:
            break
        end += 1
    if end - start < 3:
        return 0
    return end - start if classify_header_row([lines[k].text for k in content[start:end]]) else 0


def _from_cell_stream(cells: list[list[Cell]], stream: list[int], used: set[int], is_key: KeyTest, document: str | None) -> list[Record]:
    """A stream of single cells that starts with a header (trailing-pipe shape)."""
    run = 0
    while run < len(cells) and run < 12 and classify_header(cells[run][0].text):
        run += 1
    columns = classify_header_row([c[0].text for c in cells[:run]]) if run >= 2 else None
    if not columns:
        return []
    header_lines = [stream[n] for n in range(run)]
    body = [[stream[n]] for n in range(run, len(cells))]
    return _rows(cells[run:], columns, [c[0].text for c in cells[:run]], body, header_lines, used, is_key, document)


def _from_cell_stream_grouped(
    cells: list[list[Cell]],
    header_idx: list[int],
    lines: list[Line],
    used: set[int],
    is_key: KeyTest,
    document: str | None,
    body: list[list[int]],
) -> list[Record]:
    header = [lines[k].text for k in header_idx]
    columns = classify_header_row(header)
    if not columns:
        return []
    return _rows(cells, columns, header, body, header_idx, used, is_key, document)


def _rows(
    cells: list[list[Cell]],
    columns: list[str | None],
    header: list[str],
    body: list[list[int]],
    header_lines: list[int],
    used: set[int],
    is_key: KeyTest,
    document: str | None,
) -> list[Record]:
    """Split a cell stream into rows: rows start at key cells; short rows are allowed.

    Column roles are fitted to the cells twice: first on rows as wide as the header (to find the key column the
    rows are split at), then on the rows as split.
    """
    width = len(columns)
    columns = fit_columns(columns, [[c[0].text for c in cells[q : q + width]] for q in range(0, len(cells), width)], is_key)
    kind = table_kind(columns)
    key_column = next((i for i, c in enumerate(columns) if c in ("name", "permission", "data")), 0)
    lengths: Counter[int] = Counter()
    records: list[Record] = []
    spans: list[tuple[int, int]] = []
    p = 0
    while p < len(cells):
        if not _key_like(cells[p][0].text) or (p + key_column < len(cells) and not _key_like(cells[p + key_column][0].text)):
            break
        typical = lengths.most_common(1)[0][0] if lengths else width
        size = None
        last = min(p + width, len(cells) - 1 - key_column)
        order = [p + typical] + [q for q in range(p + max(2, width - 2), last + 1) if q != p + typical]
        for q in (q for q in order if q <= last):
            candidate = cells[q + key_column][0].text
            if _key_like(cells[q][0].text) and is_key(kind, candidate):
                size = q - p
                break
        if size is None:
            size = min(typical, len(cells) - p)
            if size < min(2, width):
                break
        spans.append((p, size))
        lengths[size] += 1
        p += size
    columns = fit_columns(columns, [["\n".join(c.text for c in group) for group in cells[q : q + n]] for q, n in spans], is_key)
    kind = table_kind(columns)
    for q, n in spans:
        records.append(_record(kind, "table_row", columns, header, cells[q : q + n], document))
        records[-1].lines = {k for group in body[q : q + n] for k in group}
    if records:
        used.update(header_lines)
        for record in records:
            used.update(record.lines)
    return records


def _key_like(text: str) -> bool:
    """A cell that can start a row: a short name, not a sentence."""
    text = text.strip()
    return 0 < len(text) <= 40 and not text.endswith(("。", "：", ":", "；")) and not _HEADING.match(text)


def _record(kind: str, shape: str, columns: list[str | None], header: list[str], row: list[list[Cell]], document: str | None) -> Record:
    fields: dict[str, list[Field]] = {}
    for index, group in enumerate(row):
        column = (columns[index] if index < len(columns) else None) or "other"
        key = header[index] if index < len(header) else ""
        text = "\n".join(c.text for c in group if c.text)
        if group:
            fields.setdefault(column, []).append(Field(text, key, group[0].line, group[0].offset))
    flat = " | ".join(" ".join(c.quote for c in group) for group in row)
    first = row[0][0]
    return Record(
        kind="table_row" if shape == "table_row" else "list_item",  # type: ignore[arg-type]
        table=kind,  # type: ignore[arg-type]
        fields=fields,
        source=Source(text=flat, line=first.line, offset=first.offset, document=document),
        lines=set(),
    )

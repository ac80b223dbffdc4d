"""Key-value blocks: `SDK名称：极光推送` followed by `使用目的：…` lines, or the same as 2-cell table rows.

Both are common ways to declare one SDK per block without a list marker or a bold heading.
"""

import re

from declared.doc import Line
from declared.headers import classify_header
from declared.records import Field, Record, sdk_list_item
from declared.tables import split_pipes
from declared.textnorm import clean

_KV = re.compile(r"^\s*([^：:]{1,16})[：:]\s*(.+)$")
_ATTACHED = frozenset(
    {"purpose", "permission", "data", "company", "privacy", "category", "share", "deidentified", "package", "other", "note"}
)
_PROSE = re.compile(r"我们|您|注意|说明|提示|[“”\"「」]")


def _pair(line: Line) -> tuple[str, str, str, int] | None:
    """(column, key, value, offset of value) for a `key：value` line or a 2-cell row."""
    pipes = split_pipes(line.text) if line.cells is None and line.text.count("|") >= 2 else None
    if line.cells is not None:
        if len(line.cells) != 2:
            return None
        key, value = line.cells[0].text, line.cells[1].text
        offset = line.cells[1].offset
    elif pipes is not None:  # `| SDK名称 | MobPush |`: a Markdown 2-column table row
        if len(pipes) != 2:
            return None
        key, value = pipes
        offset = line.offset + max(0, line.text.find(value))
    else:
        match = _KV.match(line.text)
        if not match:
            return None
        key, value = clean(match.group(1)), clean(match.group(2))
        offset = line.offset + match.start(2)
    column = classify_header(key)
    if not value:
        return None
    if column is None:  # `服务类型：统计分析`: a key we do not know, kept with the block
        if len(key) > 8 or _PROSE.search(key):
            return None
        column = "other"
    return column, key, value, offset


def find_kv_blocks(lines: list[Line], used: set[int], document: str | None) -> list[Record]:
    """One SDK record per block that starts with a name key and has at least one more known key."""
    records: list[Record] = []
    i = 0
    while i < len(lines):
        pair = _pair(lines[i]) if i not in used and lines[i].text else None
        if pair is None or pair[0] != "name":
            i += 1
            continue
        fields: dict[str, list[Field]] = {"name": [Field(pair[2], pair[1], lines[i].line, pair[3])]}
        taken = {i}
        j = i + 1
        while j < len(lines):
            if not lines[j].text:
                j += 1
                continue
            nxt = _pair(lines[j]) if j not in used else None
            if nxt is None or nxt[0] not in _ATTACHED:
                break
            fields.setdefault(nxt[0], []).append(Field(nxt[2], nxt[1], lines[j].line, nxt[3]))
            taken.add(j)
            j += 1
        if len([c for c in fields if c != "other"]) < 2:
            i += 1
            continue
        records.append(sdk_list_item(lines, i, taken, fields, document))
        used.update(taken)
        i = j
    return records

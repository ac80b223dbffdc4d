"""List recognisers: numbered items, bold names, bullets, each followed by `key：value` lines.

`1、阿里云推送SDK` / `作用：…` / `使用权限：…`, `**OPPO推送SDK**` / `运营方：…`, and
`- 极光推送：用于消息推送` all become SDK records.
"""

import re
from collections.abc import Callable

from declared.doc import Line
from declared.headers import classify_header
from declared.records import Field, Record, sdk_list_item
from declared.textnorm import clean

_NUMBERED = re.compile(
    r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．)）]\s*(?!\d)(.+)$|^\s*[（(]\d{1,2}[)）]\s*(.+)$"
    r"|^\s*\d{1,2}(?:[.．]\d{1,2}){1,3}[.．、]?\s+(.+)$"  # `10.1 SDK名称：…`
)
_BULLET = re.compile(r"^\s*[-*+•·●▪■◆○◇►]\s*(.+)$")
_BOLD = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*[:：]?\s*$")
_KV = re.compile(r"^\s*([^：:]{1,14})[：:]\s*(.*)$")
_PROSE = re.compile(r"我们|您|本政策|本协议|定义|释义|[“”\"「」]")
_SDK_SENTENCE = re.compile(r"^\s*([^：:，,。；;]{2,30})[：:]\s*((?:用于|用来|用以|提供|实现|为).+)$")
# a line of Java package names under an SDK name: `com.huawei.hms，com.huawei.agconnect`
_PACKAGES = re.compile(r"^\s*[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(\s*[，,、;；]\s*[a-z][a-z0-9_]*(\.[a-z0-9_]+)+)*\s*$")
_KV_COLUMNS = frozenset({"purpose", "permission", "data", "company", "privacy", "category", "share", "deidentified", "other", "note"})
SdkTest = Callable[[str], bool]


def find_list_items(lines: list[Line], used: set[int], looks_like_sdk: SdkTest, document: str | None) -> list[Record]:
    """SDK records from list-shaped declarations, skipping lines already taken by tables."""
    records: list[Record] = []
    i = 0
    while i < len(lines):
        if i in used or not lines[i].text:
            i += 1
            continue
        head = _item_head(lines[i]) or _sdk_sentence_head(lines[i], looks_like_sdk)
        bare = head is None
        if bare:
            head = _bare_head(lines[i])
        if head is None:
            i += 1
            continue
        name, inline = head
        fields: dict[str, list[Field]] = {}
        taken = {i}
        j = i + 1
        open_key: tuple[str, str] | None = None  # a `功能用途：` key with nothing after it: the bullets below are its value
        while j < len(lines):
            line = lines[j]
            if not line.text:
                j += 1
                continue
            bullet = _BULLET.match(line.text)
            if open_key and j not in used and bullet and not _kv(line):
                column, key = open_key
                value = clean(bullet.group(1))
                fields.setdefault(column, []).append(Field(value, key, line.line, line.offset + max(0, line.text.find(value))))
                taken.add(j)
                j += 1
                continue
            if j in used or (_item_head(line) is not None and not _kv(line)):
                break
            kv = _kv(line) or (("package", "", line.text) if _PACKAGES.match(line.text) else None)
            if kv is None:
                break
            column, key, value = kv
            open_key = None if value else (column, key)
            fields.setdefault(column, []).append(Field(value, key, line.line, line.offset + max(0, line.text.find(value))))
            taken.add(j)
            j += 1
        has_kv = bool(fields)
        if inline and not has_kv:
            kv = _kv_text(inline)
            if kv:
                fields.setdefault(kv[0], []).append(Field(kv[2], kv[1], lines[i].line, lines[i].offset))
            else:
                fields.setdefault("purpose", []).append(Field(inline, "", lines[i].line, lines[i].offset))
        sdk_keys = any("sdk" in f.key.lower() for values in fields.values() for f in values)  # `SDK类型：…`, `SDK描述：…`
        keyed = any(c in fields for c in ("permission", "company", "privacy")) and not bare
        strong = has_kv and (keyed or "package" in fields or sdk_keys)
        if not name or len(name) > 40 or not (strong or ((has_kv if bare else fields) and looks_like_sdk(name))):
            i += 1
            continue
        fields.setdefault("name", []).insert(0, Field(name, "", lines[i].line, lines[i].offset + max(0, lines[i].text.find(name))))
        records.append(sdk_list_item(lines, i, taken, fields, document))
        used.update(taken)
        i = j
    return records


def _item_head(line: Line) -> tuple[str, str] | None:
    """(name, inline description) when the line opens a list item."""
    bold = _BOLD.match(line.raw)
    if bold:
        return clean(bold.group(1)), ""
    match = _NUMBERED.match(line.text) or _BULLET.match(line.text)
    if not match:
        return None
    body = clean(next(g for g in match.groups() if g))
    parts = re.split(r"[：:]|\s[—–-]{1,2}\s", body, maxsplit=1)
    if len(parts) > 1 and _unclosed(parts[0]):
        parts = [body]  # `微信小程序（原始ID：wx…）`: a colon inside brackets does not end the name
    name = clean(parts[0])
    inline = clean(parts[1]) if len(parts) > 1 else ""
    if inline and classify_header(name) == "name":  # `1、接入的SDK名称：华为推送SDK`: the value is the name
        if len(inline) > 40 or _PROSE.search(inline) or re.search(r"[。；;，,]", inline):
            return None
        name, inline = inline, ""
    if name.endswith(("。", "；", "，")) or _PROSE.search(name):
        return None
    return name, inline


def _unclosed(text: str) -> bool:
    """True when the text opens more round brackets than it closes."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _sdk_sentence_head(line: Line, looks_like_sdk: SdkTest) -> tuple[str, str] | None:
    """`极光推送SDK：用于消息推送` on a line of its own: an SDK name, then what it is used for."""
    match = _SDK_SENTENCE.match(line.text)
    if not match or _PROSE.search(match.group(1)) or not looks_like_sdk(clean(match.group(1))):
        return None
    if classify_header(match.group(1)) or re.search(r"描述|类型|说明|名称|场景|目的|简介|介绍", match.group(1)):
        return None  # `SDK描述：提供…` is a key of the entry above, not a name
    return clean(match.group(1)), clean(match.group(2))


def _bare_head(line: Line) -> tuple[str, str] | None:
    """A line holding only a name (HTML <p><strong>极光推送SDK</strong></p>, <li> items)."""
    text = clean(line.text)
    if not text or len(text) > 30 or _kv(line) or re.search(r"[。；;，,：:]", text) or _PROSE.search(text):
        return None
    return text, ""


def _kv(line: Line) -> tuple[str, str, str] | None:
    return _kv_text(line.text)


def _kv_text(text: str) -> tuple[str, str, str] | None:
    """(column, key, value) for a `key：value` line whose key is a known column."""
    match = _KV.match(text)
    if not match:
        return None
    key = clean(match.group(1))
    if _unclosed(key):
        return None  # `官网（http://…）`, `（原始ID：…）`: a colon inside brackets is not a key
    column = classify_header(key)
    unknown_key_ok = not _NUMBERED.match(key) and not _BULLET.match(key) and not re.search(r"[，,。；;]|.sdk", key, re.IGNORECASE)
    if column is None and len(key) <= 10 and not _PROSE.search(key) and unknown_key_ok:
        column = "other"  # `SDK描述：…`: a key we do not know, kept with the entry
    if column not in _KV_COLUMNS:
        return None
    return column, key, clean(match.group(2))

"""Policies kept in app source (.vue/.jsx/.tsx/.ts/.js/.mjs/.json): template text and string literals, in order.

Comments are skipped; each literal is unescaped, HTML inside it is reduced to text, and every piece keeps the
source line it came from, so quotes point at the file as written.
"""

import json
import re

from declared.doc import Line
from declared.textnorm import clean, strip_pinyin_noise

SOURCE_SUFFIXES = frozenset({".vue", ".jsx", ".tsx", ".ts", ".js", ".mjs", ".cjs", ".json", ".wxml", ".svelte"})

_TOKENS = re.compile(
    r"(?P<comment>//[^\n]*|/\*.*?\*/|<!--.*?-->)"
    r"|(?P<dq>\"(?:\\.|[^\"\\\n])*\")"
    r"|(?P<sq>'(?:\\.|[^'\\\n])*')"
    r"|(?P<bt>`(?:\\.|[^`\\])*`)"
    r"|>(?P<text>[^<>{}]*[^\s<>{}][^<>{}]*)(?=<|\{)",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
_COMMENT = re.compile(r"(?<![:\\\"'])//[^\n]*|/\*.*?\*/|<!--.*?-->", re.DOTALL)
_CODE = re.compile(r"\b(export|import|return|const|let|var|function|default)\b|=>|[;=]")
_BLOCK_BREAK = re.compile(r"<(?:br|/p|/div|/li|/h\d|/tr|/section|p|div|li|h\d|tr)\b[^>]*>", re.IGNORECASE)
_INTERPOLATION = re.compile(r"\$\{[^}]*\}|\{\{[^}]*\}\}")
_CJK_OR_WORDS = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{3,}\s+[A-Za-z]{3,}")


def source_lines(text: str) -> list[Line]:
    """Readable text of a front-end source file as Lines (line numbers of the source)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    text = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)  # same length, lines kept
    lines: list[Line] = []
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        if kind == "comment" or kind is None:
            continue
        value = match.group(kind)
        if kind == "text" and _CODE.search(value):
            continue
        at = match.start(kind)
        decoded = _unescape(value, kind)
        if not decoded or not _CJK_OR_WORDS.search(decoded):
            continue
        decoded = _BLOCK_BREAK.sub("\n", decoded)
        decoded = _TAG.sub("", decoded).replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        first_line = _line_of(starts, at)
        # a raw multi-line literal spans source lines; an escaped `\n` stays on the literal's own line
        raw_breaks = value.count("\n")
        for n, piece in enumerate(decoded.split("\n")):
            piece = clean(piece)
            if piece:
                number = first_line + (n if raw_breaks else 0)
                lines.append(Line(text=strip_pinyin_noise(piece), line=number, offset=at, raw=piece))
            elif lines and lines[-1].text:
                lines.append(Line(text="", line=first_line, offset=at, raw=""))
    return lines


def _unescape(value: str, kind: str) -> str:
    if kind == "text":
        return _INTERPOLATION.sub("", value)
    body = value[1:-1]
    if kind == "dq":
        try:
            return str(json.loads(value))
        except ValueError:
            pass
    body = _INTERPOLATION.sub("", body) if kind == "bt" else body
    try:
        return body.encode("utf-8", "backslashreplace").decode("unicode_escape").encode("latin-1", "ignore").decode("utf-8", "ignore")
    except UnicodeDecodeError:
        return body


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)

"""Run-on text: SDK entries written on one giant line (`（1） 第三方SDK：神策a.收集个人信息目的/用途：…b.收集个人信息类型：…`).

Such a line is cut into one virtual line per list item and per `key：value`, each keeping the source line and
its offset, so the list and key-value readers see the layout they know.
"""

import re
from itertools import pairwise

from declared.doc import Line
from declared.lexicon import lexicon
from declared.textnorm import fold

MIN_LENGTH = 150
_ITEM = re.compile(r"[（(]\d{1,2}[)）]")
_LETTER = re.compile(r"(?<![A-Za-z])[a-h][.．、]$|[a-h][.．、]$")


def _key_pattern() -> re.Pattern[str]:
    keys = sorted({fold(k).lower() for k in lexicon().get("inline_keys", [])}, key=len, reverse=True)
    return re.compile("(" + "|".join(re.escape(k) for k in keys) + r")\s*[：:；;]")


_KEYS: re.Pattern[str] | None = None


def split_run_on(lines: list[Line]) -> list[Line]:
    """Lines, with every long line that holds several inline keys cut before each item marker and key."""
    global _KEYS
    if _KEYS is None:
        _KEYS = _key_pattern()
    out: list[Line] = []
    for line in lines:
        if line.cells is not None or len(line.text) < MIN_LENGTH:
            out.append(line)
            continue
        lowered = line.norm.lower()
        keys = [m for m in _KEYS.finditer(lowered) if m.start() > 0]
        if len(keys) < 2:
            out.append(line)
            continue
        cuts = {m.start() for m in keys} | {m.start() for m in _ITEM.finditer(lowered) if m.start() > 0}
        tail = line.text.find("。", keys[-1].end())
        if tail > 0:  # the last entry ends with its sentence; the prose after it is its own line
            cuts.add(tail + 1)
        out.extend(_pieces(line, sorted(cuts), {m.end() - 1 for m in keys}))
    return out


def _pieces(line: Line, cuts: list[int], separators: set[int]) -> list[Line]:
    pieces: list[Line] = []
    bounds = [0, *cuts, len(line.text)]
    for start, end in pairwise(bounds):
        text = "".join("：" if start + n in separators else ch for n, ch in enumerate(line.text[start:end]))  # `目的/用途；` is a key too
        letter = _LETTER.search(text)
        if letter and end in cuts:  # `神策a.` before `收集…：`: the letter numbers the next key
            text = text[: letter.start()]
        stripped = text.strip()
        if not stripped:
            continue
        lead = len(text) - len(text.lstrip())
        pieces.append(Line(text=stripped, line=line.line, offset=line.offset + start + lead, raw=stripped))
    return pieces

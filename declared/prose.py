"""Walk the prose the app speaks in its own name: sentences, with list context and definitions skipped."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from declared.doc import Line
from declared.lexicon import words

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_TOP_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3}\s*[、.．]|第[一二三四五六七八九十]+[章节条])")
_DIGIT_HEADING = re.compile(r"^\s*\d{1,2}\s*[、.．](?!\d)[^，,。；;：:]{1,20}$")
_SHORT_HEADING = re.compile(r"^[\u4e00-\u9fffA-Za-z ]{2,10}$")
_LIST_ITEM = re.compile(r"^\s*([（(]?\d{1,2}[)）、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|[-*+•·●▪■◆ü]\s*|[a-z][)）.]\s)")


def _heading_style(norm: str) -> str:
    """cn (一、), digit (1、) or short (a bare short title); empty when the line is not a heading."""
    if _TOP_HEADING.match(norm):
        return "cn"
    if _DIGIT_HEADING.match(norm):
        return "digit"
    if _SHORT_HEADING.match(norm) and len(norm) <= 8:
        return "short"
    return ""


# A heading ends a definitions section when it ranks at least as high as the section's own heading.
_RANK = {"cn": 0, "markdown": 1, "digit": 2, "short": 3, "": 4}
_NUMBERING = re.compile(r"^\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[、.．]\s*")


def _table_of_contents(lines: list[Line]) -> set[int]:
    """Indexes of heading lines whose title appears again later: entries of a table of contents."""
    last: dict[str, int] = {}
    indexes: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        norm = line.norm.lower()
        if line.text and _heading_style(norm):
            title = _NUMBERING.sub("", norm).replace(" ", "")
            indexes.append((index, title))
            last[title] = index
    return {index for index, title in indexes if last[title] != index}


_MID_SENTENCE = re.compile(r"([\u4e00-\u9fff]|[、，,])\s*$")


@dataclass
class Sentence:
    """A sentence of prose: the line it is on, its span in the line, and whether it is a collection context."""

    line: Line
    index: int
    start: int
    end: int
    collecting: bool

    @property
    def norm(self) -> str:
        return self.line.norm[self.start : self.end]

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]


def sentences(lines: list[Line], used: set[int]) -> Iterator[Sentence]:
    """Prose sentences outside tables/lists and outside definition sections."""
    verbs = [*words("collect_verbs"), *words("context_verbs")]
    definitions = words("definition_headings")
    toc = _table_of_contents(lines)
    in_definitions = False
    definition_style = ""
    inherited = False
    carried = False
    collecting = False
    for index, line in enumerate(lines):
        if not line.text or index in used:
            continue
        norm = line.norm.lower()
        style = "markdown" if line.raw.lstrip().startswith("#") else _heading_style(norm)
        if style and index not in toc and (not in_definitions or _RANK[style] <= _RANK[definition_style]):
            in_definitions = any(d in norm for d in definitions) and len(norm) <= 20
            definition_style = style
        if in_definitions:
            continue
        listed = bool(_LIST_ITEM.match(norm))
        if not listed:
            inherited = False
        line_collecting = any(v in norm for v in verbs)
        for match in _SENTENCE.finditer(line.norm):
            chunk = match.group(0).lower()
            collecting = inherited or (carried and not style) or any(v in chunk for v in verbs)
            carried = False
            yield Sentence(line, index, match.start(), match.end(), collecting)
        # A line broken mid-sentence (`系统将采集您的` / `身份证号码、姓名…`) carries its context over.
        carried = collecting and bool(_MID_SENTENCE.search(norm)) and not line.raw.lstrip().startswith("#")
        if norm.rstrip().endswith((":", "：")) and line_collecting:
            inherited = True

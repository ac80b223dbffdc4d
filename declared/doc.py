"""The document model every recogniser works on: lines (and table rows) with their positions."""

from dataclasses import dataclass, field

from candor.model.common import Source
from declared.textnorm import clean, fold


@dataclass
class Cell:
    """One table cell: text as written and where it starts."""

    text: str
    line: int
    offset: int
    raw: str = ""

    @property
    def quote(self) -> str:
        """The original text (before noise removal) for quotes."""
        return clean(self.raw) if self.raw else self.text


@dataclass
class Line:
    """One line of the document (or one row of a real table, with its cells)."""

    text: str
    line: int
    offset: int
    raw: str = ""
    cells: list[Cell] | None = None
    norm: str = field(init=False)

    def __post_init__(self) -> None:
        self.norm = fold(self.text)
        if not self.raw:
            self.raw = self.text

    def source(self, document: str | None) -> Source:
        return Source(text=clean(self.raw), line=self.line, offset=self.offset, document=document)


@dataclass
class Document:
    """A decoded policy: its lines, detected format and name."""

    lines: list[Line]
    format: str
    name: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)

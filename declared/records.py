"""What the recognisers hand to the extractors: rows of named fields, whatever their shape was."""

from dataclasses import dataclass, field
from typing import Literal

from candor.model.common import Source
from declared.doc import Line
from declared.textnorm import clean


@dataclass
class Field:
    """One value of a row: the text as written, the header/key it sat under, and where it is."""

    text: str
    key: str
    line: int
    offset: int


@dataclass
class Record:
    """One table row or list item: fields by column type (name, purpose, data, permission, ...)."""

    kind: Literal["table_row", "list_item"]
    table: Literal["sdk", "permission", "data"]
    fields: dict[str, list[Field]]
    source: Source
    lines: set[int] = field(default_factory=set)

    def text(self, column: str, sep: str = "；") -> str:
        """All values of a column joined."""
        return sep.join(f.text for f in self.fields.get(column, []) if f.text)

    def first(self, column: str) -> Field | None:
        values = self.fields.get(column)
        return values[0] if values else None


def sdk_list_item(lines: list[Line], head: int, taken: set[int], fields: dict[str, list[Field]], document: str | None) -> Record:
    """An SDK list item spanning the `taken` lines, quoted from its original text."""
    source_text = " | ".join(clean(lines[k].raw) for k in sorted(taken))
    source = Source(text=source_text, line=lines[head].line, offset=lines[head].offset, document=document)
    return Record(kind="list_item", table="sdk", fields=fields, source=source, lines=taken)

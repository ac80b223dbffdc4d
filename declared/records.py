"""What the recognisers hand to the extractors: rows of named fields, whatever their shape was."""

from dataclasses import dataclass, field
from typing import Literal

from candor.model.common import Source


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

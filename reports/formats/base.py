"""The `Format` interface: render an AuditReport to bytes."""

from typing import Protocol

from reports.model import AuditReport


class Format(Protocol):
    """One output format: a name, a file suffix, and a renderer."""

    name: str
    suffix: str

    def render(self, report: AuditReport) -> bytes:
        """The whole output file."""
        ...


def get_format(name: str) -> Format:
    from reports.formats import FORMATS

    return FORMATS[name]

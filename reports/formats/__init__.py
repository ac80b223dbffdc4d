"""Output formats of an AuditReport, each behind the small `Format` interface."""

from reports.formats.base import Format, get_format
from reports.formats.csv_xlsx import CsvFormat, XlsxFormat, findings_frame
from reports.formats.html import HtmlFormat
from reports.formats.json_fmt import JsonFormat
from reports.formats.sarif import SarifFormat

FORMATS: dict[str, Format] = {f.name: f for f in (HtmlFormat(), JsonFormat(), CsvFormat(), XlsxFormat(), SarifFormat())}

__all__ = ["FORMATS", "CsvFormat", "Format", "HtmlFormat", "JsonFormat", "SarifFormat", "XlsxFormat", "findings_frame", "get_format"]

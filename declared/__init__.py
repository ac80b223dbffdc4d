"""Read a privacy policy (txt/html/md/pdf/docx) and produce its DeclaredTable: the SDKs, permissions and identifiers it declares.

Public API: `extract_policy(path)`, `extract_text(text, document)`, `load_declared(path)`, `dump_yaml(table)`.
"""

from declared.assemble import extract_policy, extract_text
from declared.yamlio import dump_yaml, load_declared

__all__ = ["dump_yaml", "extract_policy", "extract_text", "load_declared"]

"""Read a privacy policy and produce the declared tables (issue #3).

Public API: `extract_policy(path)`, `extract_text(text, document)`, `load_declared(path)`, `dump_yaml(table)`.
"""

from declared.assemble import extract_policy, extract_text
from declared.yamlio import dump_yaml, load_declared

__all__ = ["dump_yaml", "extract_policy", "extract_text", "load_declared"]

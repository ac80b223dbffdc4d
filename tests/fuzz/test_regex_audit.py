"""Every regular expression in Candor's sources, audited for catastrophic backtracking (regexploit).

A pattern that can backtrack cubically or exponentially on some input fails here with its file and line; bound
it (possessive or atomic runs, bounded repeats, classes that exclude the next token) or restructure the scan.
Patterns regexploit cannot parse (possessive quantifiers, atomic groups) are linear by construction and skipped.
"""

import ast
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("candor", "declared", "apk_scan", "addons", "reports")


def _findings() -> list[str]:
    from regexploit.ast.sre import SreOpParser
    from regexploit.languages.python_node_visitor import PythonNodeVisitor
    from regexploit.redos import find

    out = []
    for path in sorted(p for part in PARTS for p in (ROOT / part).rglob("*.py")):
        visitor = PythonNodeVisitor()
        visitor.visit(ast.parse(path.read_bytes()))
        for regex in visitor.patterns:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    redos = list(find(SreOpParser().parse_sre(regex.pattern, regex.flags)))
                except Exception:  # not a regex, or syntax regexploit predates
                    continue
            worst = max((r.starriness for r in redos), default=0)
            if worst > 2:
                out.append(f"{path.relative_to(ROOT)}:{regex.lineno}: starriness {worst}: {regex.pattern[:120]}")
    return out


def test_no_pattern_backtracks_cubically_or_worse() -> None:
    pytest.importorskip("regexploit")
    assert _findings() == []

"""Property tests of the policy readers: the linear span and link scanners agree with the regexes they replace."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from declared import markup

FAST = settings(max_examples=80, deadline=None)
_OLD_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_OLD_CELL = re.compile(r"<t([hd])\b[^>]*>(.*?)</t[hd]\s*>", re.IGNORECASE | re.DOTALL)
TAGS = st.lists(st.sampled_from(["<table>", "</table>", "<TABLE x=1>", "</table >", "<tr>", "</tr>", "<td>", "</td>", "<th a='b'>",
                                 "</th>", "x", " ", "\n", "<", ">", "[", "](", ")", "http://a/b", "表"]), max_size=60).map("".join)


@FAST
@given(TAGS)
def test_table_spans_match_the_lazy_regex(text: str) -> None:
    spans = markup._spans(text, markup._TABLE_OPEN, markup._TABLE_CLOSE, 0, len(text))
    assert [(s, e) for s, _, _, e in spans] == [m.span() for m in _OLD_TABLE.finditer(text)]


@FAST
@given(TAGS)
def test_cell_spans_match_the_lazy_regex_where_attributes_hold_no_angle_brackets(text: str) -> None:
    spans = markup._spans(text, markup._CELL_OPEN, markup._CELL_CLOSE, 0, len(text))
    old = [(m.start(), m.start(2), m.end(2), m.end()) for m in _OLD_CELL.finditer(text) if "<" not in text[m.start() + 1 : m.start(2)]]
    assert [s for s in spans if s in old] == old


@FAST
@given(TAGS)
def test_markdown_and_html_readers_accept_any_markup(text: str) -> None:
    for line in markup.markdown_lines(text) + markup.html_lines(text):
        assert "\n" not in line.text


def test_links_are_rewritten_as_before_on_ordinary_markdown() -> None:
    text = "见[友盟](https://www.umeng.com/policy \"title\")与![图](a.png)"
    assert markup._md_clean(text) == "见友盟 https://www.umeng.com/policy与图 a.png"
    assert markup._md_clean("[https://x.example/p](https://x.example/p)") == "https://x.example/p"


def test_pathological_markdown_lines_are_read() -> None:
    for text in ("[" * 100_000 + "](" + "x" * 50_000 + ")", "[a](b" * 40_000, "<table>" * 40_000, "<a " * 50_000):
        assert markup.markdown_lines(text)

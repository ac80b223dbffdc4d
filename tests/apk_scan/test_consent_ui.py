"""Consent-UI detection from code strings and text assets (the resources path is covered by test_launch)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apk_scan.consent_ui import ConsentUiFinder, add_entry, is_ui_entry, seed_hits


def _dex_strings(*texts: str) -> bytes:
    """NUL-terminated strings with a length byte before each, as in a DEX string data section."""
    return b"".join(bytes([len(t)]) + t.encode("utf-8") + b"\x00" for t in texts)


def test_privacy_document_and_choice_in_code_strings():
    finder = ConsentUiFinder()
    finder.add_bytes("classes.dex", b"\x00" * 64 + _dex_strings("欢迎使用", "请阅读并同意《用户协议》和《隐私政策》", "不同意"))
    present, evidence = finder.verdict()
    assert present and evidence[0] == "classes.dex: 请阅读并同意《用户协议》和《隐私政策》"


def test_an_sdk_log_message_in_code_is_not_consent_ui():
    finder = ConsentUiFinder()
    finder.add_bytes("classes2.dex", _dex_strings("请在用户同意隐私政策后再调用 init", "init failed"))
    assert finder.verdict() == (False, [])


def test_a_choice_without_a_privacy_document_is_not_consent_ui():
    finder = ConsentUiFinder()
    finder.add_bytes("classes.dex", _dex_strings("同意", "不同意", "隐私"))
    assert finder.verdict() == (False, [])


def test_script_assets_are_searched():
    assert is_ui_entry("assets/index.android.bundle") and is_ui_entry("assets/www/privacy.html")
    assert not is_ui_entry("assets/fonts/a.ttf") and not is_ui_entry("res/drawable/a.xml")
    finder = ConsentUiFinder()
    add_entry(finder, "assets/index.android.bundle", 'var t="隐私保护指引";\nvar ok="同意并继续";\n'.encode())
    present, evidence = finder.verdict()
    assert present and any(line.startswith("assets/index.android.bundle: ") and "同意并继续" in line for line in evidence)


def test_english_needs_privacy_and_a_choice_in_one_text():
    finder = ConsentUiFinder()
    finder.add_texts("resources.arsc", ["Privacy Policy", "Accept", "OK"])
    assert finder.verdict()[0] is False
    finder.add_texts("resources.arsc", ["By tapping Agree you accept our Privacy Policy"])
    assert finder.verdict()[0] is True


def _find_steps(data: bytes, needle: bytes, limit: int) -> list[int]:
    """The offsets stepping with bytes.find past each hit visits (the reference `seed_hits` must agree with)."""
    found: list[int] = []
    pos = data.find(needle)
    while pos >= 0 and len(found) < limit:
        found.append(pos)
        pos = data.find(needle, pos + len(needle))
    return found


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=80).map(lambda b: bytes(b"ab\xe9\x9a"[x % 4] for x in b)),
       st.lists(st.binary(min_size=1, max_size=4).map(lambda b: bytes(b"ab\xe9\x9a"[x % 4] for x in b)), min_size=1, max_size=4),
       st.integers(1, 5))  # fmt: skip
def test_seed_hits_are_the_offsets_bytes_find_steps_through(data: bytes, needles: list[bytes], limit: int) -> None:
    assert seed_hits(data, needles, limit) == [_find_steps(data, needle, limit) for needle in needles]

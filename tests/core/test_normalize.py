"""Name normalisation and the edit-distance matcher."""

import pytest

from candor.catalog.matchers import DomainIndex, LibraryIndex, NameIndex, PrefixIndex
from candor.normalize import edit_distance, normalize_name, to_simplified


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("BuglySDk", "bugly"),
        ("Bugly SDK", "bugly"),
        ("友盟+", "友盟"),
        ("ＯＰＰＯ推送ＳＤＫ", "oppo推送"),
        ("阿裏雲推送", "阿里云推送"),
        ("  ", ""),
    ],
)
def test_normalize_name(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


def test_to_simplified_leaves_latin_alone() -> None:
    assert to_simplified("Traditional 關聯") == "Traditional 关联"
    assert to_simplified("plain") == "plain"


@pytest.mark.parametrize(("a", "b", "distance"), [("write", "yrite", 1), ("abc", "abc", 0), ("kitten", "sitting", 3)])
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, limit=5) == distance
    # With a tighter limit the answer is limit + 1, i.e. 'more than allowed'.
    assert edit_distance(a, b, limit=max(distance - 1, 0)) == distance


def test_name_index_exact_fuzzy_and_limits() -> None:
    index = NameIndex({"bugly": ["Bugly", "腾讯Bugly"], "umeng_push": ["友盟推送"]})
    assert index.match("BuglySDk").exact
    fuzzy = index.match("Buglv")
    assert fuzzy is not None and fuzzy.sdk_id == "bugly" and not fuzzy.exact and fuzzy.confidence < 1
    assert index.match("友盟分享") is None  # two edits on four characters is another SDK
    assert index.match("abc") is None


def test_prefix_domain_and_library_indexes() -> None:
    prefixes = PrefixIndex({"com.umeng": "umeng", "com.umeng.message": "umeng_push"})
    assert prefixes.match("com.umeng.message.PushAgent") == ("umeng_push", "com.umeng.message")
    assert prefixes.match("com.umeng.commonsdk.UMConfigure") == ("umeng", "com.umeng")
    assert prefixes.match("com.umengx.A") is None
    domains = DomainIndex({"umeng.com": "umeng"})
    assert domains.match("alog.UMENG.com.") == ("umeng", "umeng.com")
    assert domains.match("notumeng.com") is None
    libraries = LibraryIndex({"libBugly.so": "bugly", "libtbs*.so": "tbs"})
    assert libraries.match("lib/arm64-v8a/libBugly.so") == ("bugly", "libBugly.so")
    assert libraries.match("libtbs_core.so") == ("tbs", "libtbs*.so")
    assert libraries.match("libc++_shared.so") is None

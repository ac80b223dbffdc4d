"""Exodus tracker merge, and the catalog CLI run as a user would."""

import json
from collections import Counter
from pathlib import Path

import pytest

from candor.catalog.loader import DATA_DIR, load_from
from tests.cli_runner import assert_one_line_error, run_candor

TINY_EXODUS = {
    "trackers": {
        "190": {
            "id": 190,
            "name": "Bugly",
            "code_signature": "com.tencent.bugly.",
            "network_signature": "bugly\\.qq\\.com",
            "website": "https://bugly.qq.com/",
        },
        "9001": {
            "id": 9001,
            "name": "NewTracker",
            "code_signature": "com.newtracker.sdk.|io.newtracker.",
            "network_signature": "collect\\.newtracker\\.example\\.com|newtracker\\.io",
            "website": "https://newtracker.example.com/",
        },
    }
}


def write_tiny(tmp_path: Path) -> Path:
    path = tmp_path / "trackers.json"
    path.write_text(json.dumps(TINY_EXODUS), encoding="utf-8")
    return path


def test_tiny_exodus_file_adds_only_the_unknown_tracker(tmp_path: Path) -> None:
    before = load_from(DATA_DIR)
    merged = load_from(DATA_DIR, trackers=write_tiny(tmp_path))
    added = sorted(set(merged.sdks) - set(before.sdks))
    assert added == ["exodus_9001"]
    new = merged.sdks["exodus_9001"]
    assert new.source == "exodus" and new.name.en == "NewTracker"
    assert merged.sdk_for_class("com.newtracker.sdk.Collector").id == "exodus_9001"
    assert merged.sdk_for_host("collect.newtracker.example.com").id == "exodus_9001"
    assert merged.resolve_sdk("NewTracker").sdk_id == "exodus_9001"
    assert merged.resolve_sdk("Bugly").sdk_id == "tencent_bugly"


def test_real_exodus_file_merges_without_duplicates(shared_dir: Path) -> None:
    path = shared_dir / "reference" / "exodus_trackers.json"
    if not path.exists():
        pytest.skip("exodus_trackers.json is not present")
    before = load_from(DATA_DIR)
    merged = load_from(DATA_DIR, trackers=path)
    assert len(merged.sdks) > len(before.sdks)
    added = [sdk for sdk in merged.sdks.values() if sdk.source == "exodus"]
    # No signal is claimed twice after the merge.
    for field in ("packages", "domains"):
        counts = Counter(value for sdk in merged.sdks.values() for value in getattr(sdk, field))
        assert [v for v, n in counts.items() if n > 1] == [], field
    # Trackers the catalog already knows are not added again.
    added_names = {sdk.name.en for sdk in added}
    for known in (
        "Bugly", "Google Firebase Analytics", "Google CrashLytics", "Umeng Analytics", "JiGuang Aurora Mobile JPush",
        "AutoNavi / Amap", "Pangle", "TalkingData", "Baidu Mobile Stat", "Tencent MTA", "Huawei Mobile Services (HMS) Core",
        "Google AdMob", "AppsFlyer", "Sensors Analytics", "Yueying Crash SDK", "Facebook Login",
    ):
        assert known not in added_names, known
    # Every catalog entry survives unchanged.
    for sdk_id, sdk in before.sdks.items():
        assert merged.sdks[sdk_id] == sdk


def test_cli_list_json_has_at_least_150_sdks() -> None:
    result = run_candor("catalog", "list", "--format", "json")
    assert result.returncode == 0, result.stderr
    sdks = json.loads(result.stdout)
    assert len(sdks) >= 150
    assert len({sdk["id"] for sdk in sdks}) == len(sdks)
    assert {"push", "analytics", "ads", "payment", "map", "social"} <= {sdk["category"] for sdk in sdks}


def test_cli_list_category_filter() -> None:
    result = run_candor("catalog", "list", "--category", "push", "--format", "json")
    assert result.returncode == 0, result.stderr
    sdks = json.loads(result.stdout)
    assert sdks and all(sdk["category"] == "push" for sdk in sdks)
    assert "xiaomi_push" in {sdk["id"] for sdk in sdks}


def test_cli_show_by_policy_spelling() -> None:
    result = run_candor("catalog", "show", "oppo推送SDK", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == "oppo_push"


def test_cli_search_with_trackers_file(tmp_path: Path) -> None:
    result = run_candor("--trackers", str(write_tiny(tmp_path)), "catalog", "search", "NewTracker", "--format", "json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "exodus_9001" and hits[0]["source"] == "exodus"


def test_cli_without_trackers_does_not_know_the_new_tracker() -> None:
    result = run_candor("catalog", "search", "NewTracker", "--format", "json")
    assert all(hit["id"] != "exodus_9001" for hit in json.loads(result.stdout or "[]"))


@pytest.mark.parametrize(
    "content",
    ["{not json", json.dumps({"trackers": 3}), json.dumps([1, 2, 3])],
    ids=["syntax", "trackers-not-a-list", "top-level-list"],
)
def test_malformed_tracker_file_is_one_line_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = run_candor("--trackers", str(path), "catalog", "search", "Bugly")
    assert_one_line_error(result)
    assert "bad.json" in result.stderr


def test_missing_tracker_file_is_one_line_exit_2(tmp_path: Path) -> None:
    assert_one_line_error(run_candor("--trackers", str(tmp_path / "absent.json"), "catalog", "list"))

"""Acceptance on the five seeds and the three policies of ../shared (skipped when absent)."""

from pathlib import Path

import pytest

from declared import extract_policy
from tests.conftest import seed_path
from tests.declared.expect import check, load_expected

SEEDS = load_expected("seeds.yaml")
POLICIES = load_expected("policies.yaml")


@pytest.mark.shared
@pytest.mark.parametrize("number", sorted(SEEDS))
def test_seed_matches_expectation(shared_dir: Path, number: str) -> None:
    table = extract_policy(seed_path(shared_dir, number))
    check(table, SEEDS[number])


@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(POLICIES))
def test_policy_matches_expectation(shared_dir: Path, name: str) -> None:
    path = shared_dir / "policies" / name
    if not path.exists():
        pytest.skip(f"{name} is not present")
    check(extract_policy(path), POLICIES[name])


@pytest.mark.shared
def test_seed_004_ocr_damage_is_repaired_with_confidence(shared_dir: Path) -> None:
    table = extract_policy(seed_path(shared_dir, "004"))
    bugly = next(s for s in table.sdks if s.sdk_id == "tencent_bugly")
    assert bugly.name == "BuglySDk"  # as written
    umeng = next(s for s in table.sdks if s.sdk_id == "umeng_push")
    assert "android.permission.WRITE_EXTERNAL_STORAGE" in umeng.permissions  # written YRITE_EXTERNAL_STORAGE
    assert "YRITE_EXTERNAL_STORAGE" in umeng.source.text
    assert "fuzzy_permission" in umeng.flags  # the repair is visible to the reviewer
    assert "fuzzy_permission" in bugly.flags  # 读取收集状态和身份 -> READ_PHONE_STATE
    assert table.language == "zh"


@pytest.mark.shared
def test_seed_002_is_traditional_and_quotes_keep_the_original(shared_dir: Path) -> None:
    table = extract_policy(seed_path(shared_dir, "002"))
    assert table.language == "zh-Hant"
    region = next(d for d in table.personal_data if d.category == "region")
    assert region.phrase == "區域"  # pinyin noise `(qū)` stripped, script kept
    assert "區(qū)域" in region.source.text  # the quote is the original line
    assert region.source.line == 13


@pytest.mark.shared
def test_seed_003_multi_sdk_row_is_split(shared_dir: Path) -> None:
    table = extract_policy(seed_path(shared_dir, "003"))
    tencent = [s for s in table.sdks if s.source.line == 263]
    assert {s.sdk_id for s in tencent} >= {"wechat_opensdk", "tencent_bugly"}
    assert all("split_from_row" in s.flags for s in tencent)


@pytest.mark.shared
def test_sources_point_at_the_quoted_text(shared_dir: Path) -> None:
    path = seed_path(shared_dir, "003")
    lines = path.read_text(encoding="utf-8").split("\n")
    table = extract_policy(path)
    for item in [*table.sdks, *table.permissions, *table.identifiers]:
        assert item.source.line is not None
        first = item.source.text.split(" | ")[0][:10]
        assert first in lines[item.source.line - 1], (item.source, lines[item.source.line - 1][:40])

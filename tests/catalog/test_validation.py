"""A bad catalog entry fails loading with an error naming the file, the entry and the field."""

import shutil
from pathlib import Path

import pytest

from candor.catalog.loader import DATA_DIR, load_from
from candor.errors import CatalogError

GOOD = """\
- id: alpha_push
  name: {en: Alpha Push, zh: 阿尔法推送}
  aliases: [Alpha推送]
  category: push
  packages: [com.alpha.push]
  domains: [push.alpha.example.com]
"""


def make_data_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    """A data folder with the real permission/identifier files and the given sdks/*.yaml."""
    data = tmp_path / "data"
    (data / "sdks").mkdir(parents=True)
    for name in ("permissions.yaml", "identifiers.yaml", "permission_phrases.yaml"):
        shutil.copy(DATA_DIR / name, data / name)
    for name, text in files.items():
        (data / "sdks" / name).write_text(text, encoding="utf-8")
    return data


def load_error(tmp_path: Path, files: dict[str, str]) -> str:
    with pytest.raises(CatalogError) as caught:
        load_from(make_data_dir(tmp_path, files))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_good_minimal_catalog_loads(tmp_path: Path) -> None:
    catalog = load_from(make_data_dir(tmp_path, {"push.yaml": GOOD}))
    assert list(catalog.sdks) == ["alpha_push"]
    assert catalog.resolve_sdk("Alpha推送").sdk_id == "alpha_push"


def test_missing_category(tmp_path: Path) -> None:
    bad = GOOD.replace("  category: push\n", "")
    message = load_error(tmp_path, {"push.yaml": bad})
    assert "push.yaml" in message and "alpha_push" in message and "category" in message


def test_unknown_category(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD.replace("category: push", "category: pushes")})
    assert "push.yaml" in message and "category" in message


def test_bad_id(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD.replace("id: alpha_push", "id: Alpha-Push")})
    assert "push.yaml" in message and "entry 1" in message and "id" in message and "Alpha-Push" in message


def test_bad_domain(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD.replace("push.alpha.example.com", "https://alpha.example.com/x")})
    assert "push.yaml" in message and "alpha_push" in message and "domains" in message


def test_bad_package(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD.replace("com.alpha.push", "com/alpha/push")})
    assert "packages" in message and "com/alpha/push" in message


def test_unknown_field(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD + "  colour: red\n"})
    assert "alpha_push" in message and "colour" in message


def test_duplicate_alias_across_two_sdks(tmp_path: Path) -> None:
    other = """\
- id: beta_push
  name: {en: Beta Push}
  aliases: [ALPHA 推送]
  category: push
"""
    message = load_error(tmp_path, {"push.yaml": GOOD, "other.yaml": other})
    assert "alias" in message and "alpha_push" in message and "beta_push" in message


def test_duplicate_package_prefix(tmp_path: Path) -> None:
    other = """\
- id: beta_push
  name: {en: Beta Push}
  category: push
  packages: [com.alpha.push]
"""
    message = load_error(tmp_path, {"push.yaml": GOOD, "other.yaml": other})
    assert "package prefix" in message and "com.alpha.push" in message and "beta_push" in message


def test_duplicate_id(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD, "other.yaml": GOOD.replace("Alpha推送", "Gamma推送")})
    assert "alpha_push" in message and "twice" in message


def test_unknown_family(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD + "  family: nowhere\n"})
    assert "alpha_push" in message and "family" in message and "nowhere" in message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": GOOD + "- id: [unclosed\n"})
    assert "push.yaml" in message and "line" in message and "invalid YAML" in message


def test_top_level_not_a_list(tmp_path: Path) -> None:
    message = load_error(tmp_path, {"push.yaml": "id: alpha_push\n"})
    assert "push.yaml" in message and "list" in message


def test_bundled_catalog_is_valid_and_large() -> None:
    catalog = load_from(DATA_DIR)
    assert len(catalog.sdks) >= 170
    assert not catalog.warnings


def test_every_family_is_an_umbrella_of_its_own_vendor_line() -> None:
    catalog = load_from(DATA_DIR)
    for sdk in catalog.sdks.values():
        if sdk.family:
            assert sdk.family in catalog.sdks, sdk.id
            assert catalog.sdks[sdk.family].family is None or catalog.sdks[sdk.family].family in catalog.sdks


def test_no_alias_is_too_short_to_be_safe() -> None:
    """Aliases are matched inside policy text: 1-2 letter Latin names would fire everywhere (CJK brands are often 2)."""
    from candor.catalog.catalog import iter_names
    from candor.normalize import normalize_name

    catalog = load_from(DATA_DIR)
    short = [
        (sdk_id, name)
        for sdk_id, name in iter_names(catalog.sdks.values())
        if len(normalize_name(name)) < (3 if normalize_name(name).isascii() else 2)
    ]
    assert short == []


def test_policy_without_sdks_mentions_no_catalog_name(shared_dir: Path) -> None:
    """Seed 000 (an English/Chinese website policy) names no SDK: no alias may be found in it."""
    from tests.conftest import seed_path

    catalog = load_from(DATA_DIR)
    text = seed_path(shared_dir, "000").read_text(encoding="utf-8")
    assert catalog.names.contains(text) == []

"""The reviewed YAML is the contract: extract -> dump_yaml -> load_declared gives the same model back."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from candor.errors import InputError
from candor.model.declared import DeclaredTable
from declared import dump_yaml, extract_policy, load_declared
from tests.conftest import seed_path

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_yaml_round_trip_of_fixtures(tmp_path: Path, name: str) -> None:
    table = extract_policy(FIXTURES / name)
    path = tmp_path / "declared.yaml"
    path.write_text(dump_yaml(table), encoding="utf-8")
    assert load_declared(path) == table


@pytest.mark.shared
@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_yaml_round_trip_of_seeds(shared_dir: Path, tmp_path: Path, number: str) -> None:
    table = extract_policy(seed_path(shared_dir, number))
    path = tmp_path / "declared.yaml"
    path.write_text(dump_yaml(table), encoding="utf-8")
    assert load_declared(path) == table


def test_yaml_is_reviewable() -> None:
    text = dump_yaml(extract_policy(FIXTURES / "traditional_pinyin.txt"))
    assert "極光推送SDK" in text  # unicode kept, not escaped
    data = yaml.safe_load(text)
    assert list(data)[:5] == ["schema_version", "document", "sha256", "language", "sdks"]
    assert list(data["sdks"][0])[:3] == ["name", "sdk_id", "company"]


def test_a_reviewers_correction_is_kept(tmp_path: Path) -> None:
    table = extract_policy(FIXTURES / "html_table.html")
    data = yaml.safe_load(dump_yaml(table))
    data["sdks"][2]["sdk_id"] = "jpush"  # the reviewer identifies the unknown SDK
    data["sdks"][2]["flags"] = []
    path = tmp_path / "reviewed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_declared(path).sdks[2].sdk_id == "jpush"


def test_json_is_accepted_too(tmp_path: Path) -> None:
    table = extract_policy(FIXTURES / "pipe_table.md")
    path = tmp_path / "declared.json"
    path.write_text(table.model_dump_json(), encoding="utf-8")
    assert load_declared(path) == table


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("sdks: [oops\n", "not valid YAML"),
        ("- a\n- b\n", "expected a declared table"),
        ("sdks:\n  - name: x\n", "not a valid declared table: sdks.0.source"),
        ("identifiers:\n  - {identifier: shoe_size, phrase: x, source: {text: x}}\n", "identifiers.0.identifier"),
        ("surprise: 1\n", "surprise"),
    ],
)
def test_invalid_reviewed_yaml_is_one_clear_error(tmp_path: Path, content: str, needle: str) -> None:
    path = tmp_path / "declared.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_declared(path)
    assert needle in str(info.value) and "\n" not in str(info.value)


@pytest.mark.shared
def test_cli_extract_seed_to_yaml_file(shared_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "candor.cli.main",
            "policy",
            "extract",
            str(seed_path(shared_dir, "001")),
            "--format",
            "yaml",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    table = load_declared(out)
    assert len([s for s in table.sdks if s.kind == "table_row"]) == 7


def test_cli_json_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "candor.cli.main", "policy", "extract", str(FIXTURES / "bold_kv.md"), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    table = DeclaredTable.model_validate(json.loads(result.stdout))
    assert [s.sdk_id for s in table.sdks] == ["umeng_analytics", "amap_map"]

"""The CLI contract: one-line errors with exit 2, JSON output, schema printing."""

import json

from tests.cli_runner import assert_one_line_error, run_candor


def test_no_command_prints_help_and_exits_2() -> None:
    result = run_candor()
    assert result.returncode == 2
    assert "COMMAND" in result.stderr


def test_unknown_sdk_is_a_one_line_error() -> None:
    assert_one_line_error(run_candor("catalog", "show", "no-such-sdk-anywhere"))


def test_missing_tracker_file_is_a_one_line_error(tmp_path) -> None:
    assert_one_line_error(run_candor("--trackers", str(tmp_path / "none.json"), "catalog", "list"))


def test_permission_lookup_tolerates_ocr_damage() -> None:
    result = run_candor("catalog", "permission", "YRITE_EXTERNAL_STORAGE", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["permission"] == "android.permission.WRITE_EXTERNAL_STORAGE"
    assert rows[0]["level"] == "dangerous"
    assert rows[0]["confidence"] < 1


def test_schema_command_prints_json_schema() -> None:
    result = run_candor("schema", "scan")
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert "call_sites" in schema["properties"]

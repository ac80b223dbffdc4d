"""No-profile detection on the hand-labelled real captures (../shared) must reach the issue's goals."""

from pathlib import Path

import pytest

from bench.bench_traffic_accuracy import CORE_TYPES, LABELS, load_labels, measure


@pytest.fixture(scope="module")
def scores(shared_dir: Path):
    missing = [c["file"] for c in load_labels() if not (shared_dir / c["file"]).is_file()]
    if missing:
        pytest.skip(f"labelled captures not present: {', '.join(missing)}")
    return measure(shared_dir, LABELS)


def test_labels_cover_android_and_ios_captures() -> None:
    captures = load_labels()
    assert len(captures) >= 5
    assert {c["platform"] for c in captures} == {"android", "ios"}
    assert all(len(row["hash"]) == 12 and "value" not in row for c in captures for row in c["labels"])


def test_in_vocabulary_recall_without_profile(scores) -> None:
    hit, labelled, _ = scores.counts(CORE_TYPES)
    assert scores.recall(CORE_TYPES) >= 0.90, f"recall {hit}/{labelled}"


def test_in_vocabulary_precision_without_profile(scores) -> None:
    hit, _, reported = scores.counts(CORE_TYPES)
    assert scores.precision(CORE_TYPES) >= 0.95, f"precision {hit}/{reported}"


def test_new_identifier_types_are_reported(scores) -> None:
    reported = {unit[1] for unit in scores.reported}
    assert {"install_id", "app_user_id"} <= reported

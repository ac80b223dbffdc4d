"""SDK presence and code ownership on the labelled real-APK corpus (../shared/corpus/apks), scored as its README says."""

import pytest

from bench.bench_apk_accuracy import Totals, run_corpus


@pytest.fixture(scope="module")
def totals(shared_dir) -> Totals:
    corpus = shared_dir / "corpus" / "apks"
    if not (corpus / "labels.yaml").exists():
        pytest.skip("../shared/corpus/apks/labels.yaml is not present")
    return run_corpus(corpus)


def test_sdk_recall_and_precision(totals: Totals) -> None:
    missed = {s.file: s.missed for s in totals.scores if s.missed}
    wrong = {s.file: s.fps for s in totals.scores if s.fps}
    assert totals.recall_all >= 0.95, missed
    assert totals.precision >= 0.95, wrong


def test_no_trap_reported_as_embedded(totals: Totals) -> None:
    assert totals.traps == 0, {s.file: s.fps for s in totals.scores if s.traps}
    assert totals.negative_detections == 0


def test_platform_and_library_code_is_never_the_app(totals: Totals) -> None:
    assert totals.misattributed == 0, {s.file: s.misattributed[:5] for s in totals.scores if s.misattributed}

"""Extraction accuracy on the labelled corpus of ../shared/corpus/policies (skipped when absent).

The goals (SDK rows ≥ 0.95 / 0.95, permissions and identifiers ≥ 0.90 / 0.90) are asserted as such; a metric
still short of its goal is marked xfail(strict), so the marker must go the day the goal is met. A floor at the
level reached so far guards every metric against regressions meanwhile. `python -m bench accuracy --details`
lists the misses per document.
"""

from pathlib import Path

import pytest

from bench.bench_accuracy import GOALS, METRICS, Counts, score_corpus, score_sdks, totals

# Metrics not yet at their goal on this corpus (recall, precision measured when the floor was set).
SHORT_OF_GOAL: dict[str, str] = {}
FLOORS = {"sdks": (0.95, 0.95), "permissions": (0.92, 0.90), "identifiers": (0.92, 0.91)}


@pytest.fixture(scope="module")
def corpus_totals(shared_dir: Path) -> dict[str, Counts]:
    corpus = shared_dir / "corpus" / "policies"
    if not (corpus / "labels.yaml").is_file():
        pytest.skip("../shared/corpus/policies/labels.yaml is not present")
    return totals(score_corpus(corpus))


@pytest.mark.shared
@pytest.mark.parametrize(
    "metric",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=f"short of the goal: {SHORT_OF_GOAL[m]}"))
        if m in SHORT_OF_GOAL
        else m
        for m in METRICS
    ],
)
def test_corpus_accuracy_meets_the_goal(corpus_totals: dict[str, Counts], metric: str) -> None:
    counts, (goal_recall, goal_precision) = corpus_totals[metric], GOALS[metric]
    assert counts.recall >= goal_recall, f"{metric} recall {counts.recall:.3f} < {goal_recall}; first misses {counts.missed[:8]}"
    assert counts.precision >= goal_precision, f"{metric} precision {counts.precision:.3f} < {goal_precision}; {counts.spurious[:8]}"


@pytest.mark.shared
@pytest.mark.parametrize("metric", METRICS)
def test_corpus_accuracy_does_not_regress(corpus_totals: dict[str, Counts], metric: str) -> None:
    counts, (floor_recall, floor_precision) = corpus_totals[metric], FLOORS[metric]
    assert counts.recall >= floor_recall, f"{metric} recall fell to {counts.recall:.3f}; first misses {counts.missed[:8]}"
    assert counts.precision >= floor_precision, f"{metric} precision fell to {counts.precision:.3f}; {counts.spurious[:8]}"


def test_sdk_scoring_matches_one_to_one_and_ignores_optional() -> None:
    counts = score_sdks(["友盟 统计SDK", "友盟", "微博", "x"], ["友盟统计", "友盟推送SDK", "QQ分享"], ["微博开放平台"])
    assert (counts.tp, counts.fp, counts.fn) == (2, 0, 1)
    assert score_sdks(["百度地图"], [], []).fp == 1

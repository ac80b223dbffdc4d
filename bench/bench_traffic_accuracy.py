"""No-profile identifier detection on hand-labelled real captures: recall and precision per identifier type.

Runs the offline analyser WITHOUT a device profile on every capture listed in
tests/addons/data/traffic_labels.yaml (files under ../shared) and matches its observations to the labels by
(request, identifier type, value hash). `python -m bench traffic_accuracy [--misses] [--extra]`.
"""

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.traffic_labelling import value_hash
from candor.model.common import IDENTIFIER_IDS

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "addons" / "data" / "traffic_labels.yaml"
SHARED = ROOT.parent / "shared"
NEW_TYPES = ("email", "app_user_id", "install_id")
CORE_TYPES = tuple(t for t in IDENTIFIER_IDS if t not in NEW_TYPES)

Unit = tuple[str, str, str]  # (entry, identifier type, value hash)


@dataclass
class Scores:
    """Labelled and reported units per capture, and the sums the goals are stated on."""

    labelled: set[Unit] = field(default_factory=set)
    reported: set[Unit] = field(default_factory=set)
    where: dict[Unit, str] = field(default_factory=dict)
    captures: list[str] = field(default_factory=list)
    issuers: Counter = field(default_factory=Counter)

    def counts(self, types: tuple[str, ...]) -> tuple[int, int, int]:
        """(true positives, labelled, reported) over the given identifier types."""
        labelled = {u for u in self.labelled if u[1] in types}
        reported = {u for u in self.reported if u[1] in types}
        return len(labelled & reported), len(labelled), len(reported)

    def recall(self, types: tuple[str, ...]) -> float:
        hit, labelled, _ = self.counts(types)
        return hit / labelled if labelled else 1.0

    def precision(self, types: tuple[str, ...]) -> float:
        hit, _, reported = self.counts(types)
        return hit / reported if reported else 1.0


def load_labels(path: Path = LABELS) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["captures"]


def measure(shared: Path = SHARED, labels: Path = LABELS) -> Scores:
    """Run the analyser without a profile on every labelled capture and collect labelled and reported units."""
    from addons.engine.analyze import analyze_file

    scores = Scores()
    for capture in load_labels(labels):
        path = shared / capture["file"]
        excluded = set(capture.get("excluded") or [])
        scores.captures.append(capture["file"])
        for row in capture["labels"]:
            scores.labelled.add((row["entry"], row["type"], row["hash"]))
        for observation in analyze_file(path):
            if observation.flow_id in excluded:
                continue
            unit = (observation.flow_id, observation.identifier, value_hash(observation.value))
            scores.reported.add(unit)
            scores.where.setdefault(unit, f"{observation.location}:{observation.field or ''} [{observation.detection}] {observation.host}")
            if observation.identifier == "install_id" and observation.issuer:
                scores.issuers[observation.issuer] += 1
    return scores


def report(scores: Scores, misses: bool, extra: bool) -> None:
    print(f"captures: {len(scores.captures)}; labelled transmissions: {len(scores.labelled)}; reported: {len(scores.reported)}")
    print(f"{'type':<17}{'labelled':>9}{'found':>7}{'reported':>9}{'recall':>8}{'precision':>10}")
    for identifier in IDENTIFIER_IDS:
        hit, labelled, reported = scores.counts((identifier,))
        if labelled or reported:
            recall = f"{hit / labelled:.3f}" if labelled else "-"
            precision = f"{hit / reported:.3f}" if reported else "-"
            print(f"{identifier:<17}{labelled:>9}{hit:>7}{reported:>9}{recall:>8}{precision:>10}")
    for name, types in (("in-vocabulary", CORE_TYPES), ("new types", NEW_TYPES), ("all", IDENTIFIER_IDS)):
        hit, labelled, reported = scores.counts(types)
        print(f"{name:<17}{labelled:>9}{hit:>7}{reported:>9}{scores.recall(types):>8.3f}{scores.precision(types):>10.3f}")
    print("goals: in-vocabulary recall >= 0.90, precision >= 0.95")
    if scores.issuers:
        print("install_id issuers: " + ", ".join(f"{name} {count}" for name, count in scores.issuers.most_common()))
    if misses:
        print("\nmissed (entry, type, labelled where):")
        where = {(c_row["entry"], c_row["type"], c_row["hash"]): ", ".join(c_row["where"])
                 for capture in load_labels() for c_row in capture["labels"]}
        for unit in sorted(scores.labelled - scores.reported):
            print(f"  {unit[0]:<46} {unit[1]:<15} {where.get(unit, '')[:110]}")
    if extra:
        print("\nreported but not labelled (entry, type, where):")
        for unit in sorted(scores.reported - scores.labelled):
            print(f"  {unit[0]:<46} {unit[1]:<15} {scores.where[unit][:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench_traffic_accuracy", description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the labelled transmissions not found")
    parser.add_argument("--extra", action="store_true", help="list the reported transmissions without a label")
    args = parser.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is not present: nothing to measure", file=sys.stderr)
        return
    report(measure(), args.misses, args.extra)


if __name__ == "__main__":
    main()

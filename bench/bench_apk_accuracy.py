"""SDK-presence accuracy of `candor apk scan` on the labelled real-APK corpus (../shared/corpus/apks).

Run: `python -m bench apk_accuracy [--corpus DIR] [--verbose]`.

Scoring follows the corpus README exactly: each SDK the scan reports as embedded (presence `embedded`, role `sdk`)
is one detection; a detection hitting an embedded SDK's alias is a true positive, one hitting a `not_present` trap is
a false positive (a trap reported), a bare vendor-family name credits every embedded SDK of that family, family +
words credits those whose category keywords occur, names of `other_libraries` are ignored, anything else is a false
positive. Prints per APK and overall: precision, recall (all and required), strict recall, traps reported, detections
on negative controls, and call sites of platform/library code charged to the app.
"""

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "apks"
NOT_APP_PREFIXES = ("androidx.", "com.google.android.material.", "okhttp3.", "com.google.gson.", "com.bumptech.glide.")


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z\u4e00-\u9fff+.]+", " ", text.lower()).split())


def hit(alias: str, detection: str) -> int:
    """Length of the normalised alias when it occurs in the detection as whole words (CJK: substring), else 0."""
    a, d = norm(alias), norm(detection)
    if not a:
        return 0
    if re.search(r"[\u4e00-\u9fff]", a):
        return len(a) if a in d else 0
    return len(a) if re.search(r"(^| )" + re.escape(a) + r"( |$)", d) else 0


def classify(entry: dict, families: dict, keywords: dict, detection: str) -> tuple[str, Any]:
    """('tp', [credited sdk indices]) | ('fp', why) | ('ignore', None), as the corpus README defines."""
    best: tuple[int, str | None, int | None] = (0, None, None)
    for kind, items in (("sdk", entry["sdks"]), ("not_present", entry.get("not_present") or [])):
        for i, item in enumerate(items):
            for alias in [*item.get("aliases", []), item["name"]]:
                length = hit(alias, detection)
                if length > best[0]:
                    best = (length, kind, i)
    if best[1] == "sdk":
        return "tp", [best[2]]
    if best[1] == "not_present":
        return "fp", "trap: " + entry["not_present"][best[2]]["name"]
    length, family = max(((hit(a, detection), f) for f, aliases in families.items() for a in [*aliases, f]), default=(0, None))
    if length:
        bare = any(norm(detection) in (norm(a), norm(a) + " sdk") for a in [*families[family], family])
        credited = [i for i, x in enumerate(entry["sdks"]) if x["family"] == family
                    and (bare or any(hit(k, detection) for c in x["categories"] for k in keywords[c]))]  # fmt: skip
        return ("tp", credited) if credited else ("fp", f"family {family}: no matching embedded SDK")
    if any(hit(other.split(" (")[0], detection) for other in entry.get("other_libraries") or []):
        return "ignore", None
    return "fp", "unlabelled"


@dataclass
class ApkScore:
    """The corpus README's per-APK numbers, plus platform/library call sites charged to the app."""

    file: str
    tp: int = 0
    fp: int = 0
    fps: list[tuple[str, str]] = field(default_factory=list)
    n: int = 0
    found: int = 0
    strict: int = 0
    n_req: int = 0
    found_req: int = 0
    missed: list[str] = field(default_factory=list)
    traps: int = 0
    negative_control: bool = False
    misattributed: list[str] = field(default_factory=list)


def score_apk(entry: dict, families: dict, keywords: dict, detections: list[str]) -> ApkScore:
    score = ApkScore(entry["file"], negative_control=bool(entry.get("negative_control")))
    found: set[int] = set()
    strict: set[int] = set()
    for detection in dict.fromkeys(norm(d) for d in detections):
        kind, result = classify(entry, families, keywords, detection)
        if kind == "tp":
            score.tp += 1
            found |= set(result)
            free = [i for i in result if i not in strict]
            if free:
                strict.add(free[0])
        elif kind == "fp":
            score.fp += 1
            score.fps.append((detection, result))
            score.traps += result.startswith("trap:")
    required = {i for i, x in enumerate(entry["sdks"]) if x["required"]}
    score.n, score.found, score.strict = len(entry["sdks"]), len(found), len(strict)
    score.n_req, score.found_req = len(required), len(found & required)
    score.missed = [x["name"] for i, x in enumerate(entry["sdks"]) if i not in found]
    return score


def detections_of(scan) -> list[str]:
    """The SDK names a scan reports as the app's SDKs: embedded, role sdk."""
    return [s.name for s in scan.sdks if s.presence == "embedded" and s.role == "sdk"]


def misattributed_sites(scan) -> list[str]:
    """Call sites in platform or utility-library packages that the scan charges to the app."""
    return sorted({f"{s.caller_class}.{s.caller_method} -> {s.api}" for s in scan.call_sites
                   if s.owner == "app" and (s.caller_class + ".").startswith(NOT_APP_PREFIXES)})  # fmt: skip


@dataclass
class Totals:
    """Summed over the corpus."""

    scores: list[ApkScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.scores)

    @property
    def precision(self) -> float:
        tp, fp = self._sum("tp"), self._sum("fp")
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall_all(self) -> float:
        return self._sum("found") / max(self._sum("n"), 1)

    @property
    def recall_required(self) -> float:
        return self._sum("found_req") / max(self._sum("n_req"), 1)

    @property
    def strict_recall(self) -> float:
        return self._sum("strict") / max(self._sum("n"), 1)

    @property
    def traps(self) -> int:
        return self._sum("traps")

    @property
    def negative_detections(self) -> int:
        return sum(s.tp + s.fp for s in self.scores if s.negative_control)

    @property
    def misattributed(self) -> int:
        return sum(len(s.misattributed) for s in self.scores)


def load_labels(corpus: Path) -> dict:
    return yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))


def run_corpus(corpus: Path = CORPUS) -> Totals:
    """Scan every labelled APK and score it."""
    from apk_scan.scanner import scan_apk

    labels = load_labels(corpus)
    scores = []
    for entry in labels["apks"]:
        scan = scan_apk(corpus / entry["file"])
        score = score_apk(entry, labels["vendor_families"], labels["category_keywords"], detections_of(scan))
        score.misattributed = misattributed_sites(scan)
        scores.append(score)
    return Totals(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--verbose", action="store_true", help="also list misattributed call sites")
    args = parser.parse_args()
    if not (args.corpus / "labels.yaml").exists():
        print(f"no labelled corpus at {args.corpus}", file=sys.stderr)
        raise SystemExit(2)
    totals = run_corpus(args.corpus)
    print(f"{'apk':44} {'tp':>3} {'fp':>3} {'found':>7} {'req':>7} {'traps':>5} {'app-sites':>9}")
    for s in totals.scores:
        print(f"{s.file:44} {s.tp:3} {s.fp:3} {s.found:3}/{s.n:<3} {s.found_req:3}/{s.n_req:<3} {s.traps:5} {len(s.misattributed):9}")
        for detection, why in s.fps:
            print(f"    FP {detection!r}: {why}")
        if s.missed:
            print(f"    missed: {', '.join(s.missed)}")
        if args.verbose:
            for site in s.misattributed[:20]:
                print(f"    app-site {site}")
    print(f"\nprecision {totals.precision:.3f} · recall_all {totals.recall_all:.3f} · recall_required {totals.recall_required:.3f} · "
          f"strict_recall {totals.strict_recall:.3f} · traps reported {totals.traps} · negative-control detections "
          f"{totals.negative_detections} · platform/library call sites charged to the app {totals.misattributed}")  # fmt: skip
    print("goals: recall >= 0.95, precision >= 0.95, 0 traps, 0 platform/library call sites charged to the app")


if __name__ == "__main__":
    main()

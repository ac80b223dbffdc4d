"""Policy extraction accuracy on the labelled corpus of ../shared/corpus/policies (scoring as its README defines).

Per document and micro-averaged over all documents and per layout family: recall / precision of SDK rows,
permissions and identifiers, plus the slowest document's extraction time.
Usage: `python -m bench accuracy [--details]` (no assertions; `tests/declared/test_corpus_accuracy.py` holds the goals).
"""

import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "policies"
GOALS = {"sdks": (0.95, 0.95), "permissions": (0.90, 0.90), "identifiers": (0.90, 0.90)}
METRICS = ("sdks", "permissions", "identifiers")
PERMISSION_PREFIX = "android.permission."
LABEL_VOCABULARY = frozenset(
    {"imei", "meid", "imsi", "iccid", "mac", "android_id", "oaid", "gaid", "idfa", "idfv", "serial", "phone_number"}
    | {"precise_location", "coarse_location", "ip", "installed_apps", "contacts", "sms", "call_log", "clipboard"}
    | {"wifi_bssid", "wifi_ssid", "device_model", "os_version"}
)  # the corpus labels' identifier vocabulary (the model's newer ids such as email are not labelled)


@dataclass
class Counts:
    """True positives, false positives, false negatives of one metric (addable)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: "Counts", label: str = "") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn
        self.missed += [f"{label}{item}" for item in other.missed]
        self.spurious += [f"{label}{item}" for item in other.spurious]

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0


@dataclass
class DocumentScore:
    file: str
    kind: str
    family: str
    seconds: float
    counts: dict[str, Counts]


def norm(text: str) -> str:
    """NFKC and no whitespace, as the corpus README defines for SDK rows."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def score_sdks(predicted: list[str], gold: list[str], optional: list[str]) -> Counts:
    """One-to-one greedy matching on the longest overlap; unmatched predictions hitting gold or optional are ignored."""
    preds = [norm(p) for p in predicted if len(norm(p)) >= 2]
    golds = [norm(g) for g in gold]
    opts = [norm(o) for o in optional]

    def hit(a: str, b: str) -> bool:
        return a in b or b in a

    pairs = sorted(
        ((min(len(p), len(g)), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds) if hit(p, g)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    spurious = [p for i, p in enumerate(preds) if i not in used_p and not any(hit(p, g) for g in [*golds, *opts])]
    missed = [g for j, g in enumerate(golds) if j not in used_g]
    return Counts(tp=len(used_g), fp=len(spurious), fn=len(missed), missed=missed, spurious=spurious)


def score_set(predicted: set[str], gold: set[str], optional: set[str]) -> Counts:
    """Set comparison: TP = |P ∩ G|, FN = |G − P|, FP = |P − G − O|."""
    return Counts(
        tp=len(predicted & gold),
        fp=len(predicted - gold - optional),
        fn=len(gold - predicted),
        missed=sorted(gold - predicted),
        spurious=sorted(predicted - gold - optional),
    )


def full_permission(name: str) -> str | None:
    """`CAMERA` → `android.permission.CAMERA`; iOS / HarmonyOS names → None."""
    if name.startswith("ohos.") or name.startswith("NS"):
        return None
    return name if "." in name else PERMISSION_PREFIX + name


def family(kind: str, layout: str, file: str) -> str:
    """A coarse layout family for the per-layout lines (from the label's layout text and the file type)."""
    text = layout.lower()
    if kind == "permission_list":
        return "permission list"
    if file.endswith(".json"):
        return "json record"
    if file.endswith(".html") or "html" in text.split(";")[0]:
        return "html"
    if file.endswith(".md"):
        return "markdown"
    if "pdf" in text:
        return "pdf text"
    if "one cell per line" in text or "flattened" in text:
        return "flattened table"
    if "key：value" in layout or "numbered" in text or "key:value" in text:
        return "numbered / key:value"
    return "prose / run-on"


def predictions(table) -> dict[str, object]:
    names = [sdk.name for sdk in table.sdks]
    perms = {p.permission for p in table.permissions} | {p for sdk in table.sdks for p in sdk.permissions}
    ids = {i.identifier for i in table.identifiers} | {i for sdk in table.sdks for i in sdk.identifiers}
    return {
        "sdks": names,
        "permissions": {q for q in (full_permission(p) for p in perms) if q},
        "identifiers": {i for i in ids if i in LABEL_VOCABULARY},
    }


def score_document(entry: dict, table) -> dict[str, Counts]:
    pred = predictions(table)
    return {
        "sdks": score_sdks(
            pred["sdks"], [s["as_written"] for s in entry.get("sdks") or []], [s["as_written"] for s in entry.get("sdks_optional") or []]
        ),
        "permissions": score_set(
            pred["permissions"],
            {q for q in (full_permission(p) for p in entry.get("permissions") or []) if q},
            {q for q in (full_permission(p) for p in entry.get("permissions_optional") or []) if q},
        ),
        "identifiers": score_set(pred["identifiers"], set(entry.get("identifiers") or []), set(entry.get("identifiers_optional") or [])),
    }


def score_corpus(corpus: Path = CORPUS) -> list[DocumentScore]:
    """Extract every labelled document and score it."""
    from declared import extract_policy

    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    scores = []
    for entry in labels:
        path = corpus / entry["file"]
        start = time.perf_counter()
        table = extract_policy(path)
        seconds = time.perf_counter() - start
        scores.append(
            DocumentScore(
                entry["file"], entry.get("kind", ""), family(entry.get("kind", ""), entry.get("layout", ""), entry["file"]), seconds,
                score_document(entry, table),
            )
        )
    return scores


def totals(scores: list[DocumentScore]) -> dict[str, Counts]:
    """Micro-averaged counts over the given documents."""
    total = {metric: Counts() for metric in METRICS}
    for score in scores:
        for metric in METRICS:
            total[metric].add(score.counts[metric], f"{score.file}: ")
    return total


def _cells(counts: dict[str, Counts]) -> str:
    return "  ".join(f"{counts[m].recall:5.2f} {counts[m].precision:5.2f}" for m in METRICS)


def main() -> int:
    details = "--details" in sys.argv[1:]
    if not (CORPUS / "labels.yaml").is_file():
        print(f"no labelled corpus at {CORPUS}")
        return 0
    from candor.catalog.session import current_catalog

    current_catalog()  # load once, outside the per-document timing
    scores = score_corpus()
    header = f"{'':44} {'sdk R':>5} {'P':>5}  {'perm R':>5} {'P':>5}  {'id R':>5} {'P':>5}  seconds"
    print(header)
    for score in scores:
        print(f"{score.file[:44]:44} {_cells(score.counts)}  {score.seconds:.3f}")
        if details:
            for metric in METRICS:
                c = score.counts[metric]
                if c.missed or c.spurious:
                    print(f"    {metric}: missed {c.missed}  spurious {c.spurious}")
    print("\nper layout family (micro):")
    for name in sorted({s.family for s in scores}):
        group = [s for s in scores if s.family == name]
        print(f"  {name + f' ({len(group)})':42} {_cells(totals(group))}")
    overall = totals(scores)
    print(f"\n{'overall (micro)':44} {_cells(overall)}")
    for metric in METRICS:
        c, (goal_r, goal_p) = overall[metric], GOALS[metric]
        verdict = "ok" if c.recall >= goal_r and c.precision >= goal_p else "BELOW GOAL"
        rates = f"recall {c.recall:.3f} (≥{goal_r})  precision {c.precision:.3f} (≥{goal_p})"
        print(f"  {metric:12} TP {c.tp:4} FP {c.fp:4} FN {c.fn:4}  {rates}  {verdict}")
    slowest = max(scores, key=lambda s: s.seconds)
    print(f"  slowest document {slowest.file}: {slowest.seconds:.3f} s (goal ≤ 0.3 s; machine shared, noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

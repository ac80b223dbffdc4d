"""The real pipeline on the real APK corpus (../shared/corpus/apks), against declared tables written for it.

Each APK is reconciled twice: against an empty policy (`empty.yaml`) and against a partial one written for it
(`<apk stem>.partial.yaml`: some SDKs, permissions and identifiers, sometimes a party, a negative sentence or a
section summary). `verdicts.yaml` holds an auditor's verdict on every finding: true, false or debatable, with why.

    python -m tests.reports.corpus            # every finding with its verdict ('?' when not judged yet)
    python -m tests.reports.corpus --counts   # true / false / debatable / unjudged counts
"""

import argparse
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from candor.model import Finding, StaticScan
from reports.evidence import load_bundle
from reports.reconcile import reconcile

DATA = Path(__file__).resolve().parent / "data" / "corpus"
VERDICTS = DATA / "verdicts.yaml"
VARIANTS = ("empty", "partial")


def apk_files(apks_dir: Path) -> list[Path]:
    return sorted(apks_dir.glob("*.apk"))


@cache
def scanned(apk: Path) -> StaticScan:
    from apk_scan import scan_apk

    return scan_apk(apk)


def declared_path(stem: str, variant: str) -> Path:
    return DATA / ("empty.yaml" if variant == "empty" else f"{stem}.partial.yaml")


def findings_for(apk: Path, variant: str) -> list[Finding]:
    """The findings of `candor report --declared <table> --apk <apk>` (the scan is shared between variants)."""
    bundle = load_bundle(declared=declared_path(apk.stem, variant))
    bundle.scan = scanned(apk)
    return reconcile(bundle)


def subject(finding: Finding) -> str:
    """What a finding is about, stable across runs: kind and its subject fields."""
    parts = [p for p in (finding.sdk_id or finding.sdk_name, finding.identifier, finding.permission, finding.domain) if p]
    return finding.kind + ":" + ("/".join(parts) if parts else finding.id)


def load_verdicts() -> dict[str, dict[str, dict[str, dict]]]:
    """apk stem -> variant -> subject -> {verdict, why}."""
    return yaml.safe_load(VERDICTS.read_text(encoding="utf-8")) if VERDICTS.is_file() else {}


def review(apks_dir: Path) -> list[tuple[str, str, Finding, dict | None]]:
    """(apk stem, variant, finding, verdict or None) for every finding on the corpus."""
    verdicts = load_verdicts()
    rows = []
    for apk in apk_files(apks_dir):
        for variant in VARIANTS:
            judged = verdicts.get(apk.stem, {}).get(variant, {})
            rows += [(apk.stem, variant, f, judged.get(subject(f))) for f in findings_for(apk, variant)]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apks", type=Path, default=Path(__file__).resolve().parents[3] / "shared" / "corpus" / "apks")
    parser.add_argument("--counts", action="store_true")
    args = parser.parse_args()
    rows = review(args.apks)
    if args.counts:
        counts = Counter((v or {}).get("verdict", "unjudged") for *_, v in rows)
        print(dict(counts), f"precision (true / judged) = {counts['true'] / max(1, sum(counts.values()) - counts['unjudged']):.2f}")
        return
    for stem, variant, finding, verdict in rows:
        mark = (verdict or {}).get("verdict", "?")
        print(f"{stem}\t{variant}\t{mark}\t{finding.severity}\t{subject(finding)}\t{finding.message[:150]}")


if __name__ == "__main__":
    main()

"""Batch summary across many scanned APKs: SDK prevalence, apps with most high-severity findings, SDK x identifier.

Input is the per-APK results of `candor apk batch` (candor.model.batch.BatchResult, or dicts of the same shape).
Output: batch_summary.html, batch_summary_{apps,sdks,identifiers}.csv and batch_summary.xlsx (one sheet per table).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from candor import __version__
from candor.errors import InputError
from candor.inputs import validation_summary
from candor.model import Finding, StaticScan
from candor.model.batch import BatchResult
from candor.model.common import APP_KEY, sdk_key

HIGH = ("high", "critical")
APP_CODE = "(app code)"
TEMPLATE = "batch_summary.html.j2"
FindingsFn = Callable[[StaticScan], list[Finding]]


def load_batch_results(out_dir: Path) -> list[BatchResult]:
    """The per-APK results `candor apk batch -o OUT_DIR` wrote: OUT_DIR/<sha256>.json and OUT_DIR/errors/*.json."""
    import json

    from pydantic import ValidationError

    if not out_dir.is_dir():
        raise InputError(f"{out_dir}: not a batch output directory")
    results = []
    for path in sorted(out_dir.glob("*.json")) + sorted((out_dir / "errors").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and "ok" in data:
                results.append(BatchResult.model_validate(data))
        except ValidationError as exc:
            raise InputError(f"{path}: not a batch result ({validation_summary(exc)})") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a batch result ({exc})") from None
    return results


def assume_nothing_declared(scan: StaticScan) -> list[Finding]:
    """Findings for a scan against an empty policy: everything the code does counts as undeclared."""
    try:
        from candor.model import DeclaredTable
        from reports.evidence import EvidenceBundle
        from reports.reconcile import reconcile
    except ImportError:  # the reports part is not available: no findings, only prevalence
        return []
    return reconcile(EvidenceBundle(declared=DeclaredTable(document="(no policy: nothing declared)"), scan=scan))


@dataclass
class BatchSummary:
    """The three tables (and failures) of a batch summary."""

    apps: pd.DataFrame
    sdks: pd.DataFrame
    identifiers: pd.DataFrame
    scanned: int
    failed: int


def _findings_of(result: BatchResult, scan: StaticScan, findings_fn: FindingsFn | None) -> list[Finding]:
    if result.findings is not None:
        return result.findings
    return findings_fn(scan) if findings_fn else []


def summarise(results: Iterable[BatchResult | dict[str, Any]], findings_fn: FindingsFn | None = assume_nothing_declared) -> BatchSummary:
    """Build the summary tables; failed APKs are listed in the apps table with their error."""
    apps: list[dict[str, Any]] = []
    sdk_apps: dict[str, set[str]] = {}
    sdk_info: dict[str, dict[str, Any]] = {}
    readers: dict[tuple[str, str], set[str]] = {}
    scanned = 0
    for item in results:
        result = item if isinstance(item, BatchResult) else BatchResult.model_validate(item)
        scan = result.scan if result.ok else None
        app_key = result.sha256 or result.path
        row: dict[str, Any] = {"path": result.path, "sha256": result.sha256, "ok": scan is not None}
        if scan is None:
            apps.append({**row, "error": result.error or "not scanned"})
            continue
        scanned += 1
        findings = _findings_of(result, scan, findings_fn)
        for sdk in scan.sdks:
            key = sdk_key(sdk.sdk_id, sdk.name)
            sdk_apps.setdefault(key, set()).add(app_key)
            sdk_info.setdefault(key, {"sdk_id": sdk.sdk_id, "name": sdk.name, "category": sdk.category})
        for site in scan.call_sites:
            who = sdk_key(site.sdk_id, site.name)
            who = APP_CODE if who == APP_KEY else who
            sdk_info.setdefault(who, {"sdk_id": site.sdk_id, "name": site.name if who != APP_CODE else APP_CODE, "category": None})
            readers.setdefault((who, site.identifier), set()).add(app_key)
        apps.append({
            **row,
            "package": scan.package, "version_name": scan.version_name, "version_code": scan.version_code,
            "sdks": len(scan.sdks), "permissions": len(scan.permissions),
            "dangerous_permissions": sum(p.protection_level == "dangerous" for p in scan.permissions),
            "identifiers_read": len({s.identifier for s in scan.call_sites}),
            "findings": len(findings), "high_findings": sum(f.severity in HIGH for f in findings),
            "error": None,
        })  # fmt: skip
    return BatchSummary(
        apps=_apps_frame(apps),
        sdks=_sdks_frame(sdk_apps, sdk_info, scanned),
        identifiers=_identifiers_frame(readers, sdk_info),
        scanned=scanned,
        failed=len(apps) - scanned,
    )


APP_COLUMNS = ["package", "version_name", "version_code", "path", "sha256", "ok", "sdks", "permissions", "dangerous_permissions",
               "identifiers_read", "findings", "high_findings", "error"]  # fmt: skip


def _apps_frame(apps: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(apps, columns=APP_COLUMNS)
    for column in ("sdks", "permissions", "dangerous_permissions", "identifiers_read", "findings", "high_findings"):
        frame[column] = frame[column].fillna(0).astype(int)
    return frame.sort_values(["high_findings", "findings", "package", "path"], ascending=[False, False, True, True], na_position="last",
                             ignore_index=True)  # fmt: skip


def _sdks_frame(sdk_apps: dict[str, set[str]], info: dict[str, dict[str, Any]], scanned: int) -> pd.DataFrame:
    rows = [
        {"sdk": key, "sdk_id": info[key]["sdk_id"], "name": info[key]["name"], "category": info[key]["category"], "apps": len(apps),
         "share": round(len(apps) / scanned, 4) if scanned else 0.0}
        for key, apps in sdk_apps.items()
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["sdk", "sdk_id", "name", "category", "apps", "share"])
    return frame.sort_values(["apps", "sdk"], ascending=[False, True], ignore_index=True)


def _identifiers_frame(readers: dict[tuple[str, str], set[str]], info: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """Rows: SDK (or app code); columns: identifiers; cells: number of apps where that SDK's code reads it."""
    if not readers:
        return pd.DataFrame(columns=["sdk", "name"])
    long = pd.DataFrame([{"sdk": who, "identifier": ident, "apps": len(apps)} for (who, ident), apps in readers.items()])
    wide = long.pivot_table(index="sdk", columns="identifier", values="apps", aggfunc="sum", fill_value=0)
    wide = wide.reindex(sorted(wide.columns), axis=1)
    wide.insert(0, "name", [info.get(k, {}).get("name") or k for k in wide.index])
    wide = wide.reset_index()
    wide.columns.name = None
    return wide.sort_values("sdk", ignore_index=True)


def write_batch_summary(
    results: Iterable[BatchResult | dict[str, Any]],
    out_dir: Path,
    findings_fn: FindingsFn | None = assume_nothing_declared,
    top: int = 20,
) -> dict[str, Path]:
    """Write the HTML, CSV and XLSX forms into out_dir; returns their paths by name."""
    summary = summarise(results, findings_fn)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {
            "html": out_dir / "batch_summary.html",
            "xlsx": out_dir / "batch_summary.xlsx",
            "apps_csv": out_dir / "batch_summary_apps.csv",
            "sdks_csv": out_dir / "batch_summary_sdks.csv",
            "identifiers_csv": out_dir / "batch_summary_identifiers.csv",
        }
        summary.apps.to_csv(paths["apps_csv"], index=False)
        summary.sdks.to_csv(paths["sdks_csv"], index=False)
        summary.identifiers.to_csv(paths["identifiers_csv"], index=False)
        with pd.ExcelWriter(paths["xlsx"], engine="openpyxl") as writer:
            summary.sdks.to_excel(writer, sheet_name="SDK prevalence", index=False)
            summary.apps.to_excel(writer, sheet_name="Apps", index=False)
            summary.identifiers.to_excel(writer, sheet_name="SDK x identifier", index=False)
        paths["html"].write_text(render_html(summary, top), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the batch summary in {out_dir}: {exc.strerror or exc}") from None
    return paths


def render_html(summary: BatchSummary, top: int = 20) -> str:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(["html", "j2"]))
    ranked = summary.apps[summary.apps["ok"]].head(top)
    identifier_columns = [c for c in summary.identifiers.columns if c not in ("sdk", "name")]
    return env.get_template(TEMPLATE).render(
        summary=summary,
        sdks=summary.sdks.to_dict("records"),
        ranked=ranked.to_dict("records"),
        failures=summary.apps[~summary.apps["ok"]].to_dict("records"),
        identifier_columns=identifier_columns,
        identifier_rows=summary.identifiers.to_dict("records"),
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
    )

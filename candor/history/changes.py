"""Releases of a package and what changed between one release and the previous one."""

from itertools import pairwise
from typing import Any

from pydantic import Field

from candor.history.records import RunRecord
from candor.history.store import HistoryStore
from candor.model.changes import ReleaseChanges, added_removed, by_severity, match_findings
from candor.model.common import SEVERITY_ORDER, Model
from candor.model.findings import Finding


class Release(Model):
    """One release of a package (versionCode + versionName) and the run that stands for it."""

    package: str
    version_name: str | None = None
    version_code: str | None = None
    apk_sha256: str | None = None
    first_seen: str
    last_seen: str
    runs: int
    run_id: int | None = Field(default=None, description="The latest report run, else the latest run.")
    run_kind: str
    findings_by_severity: dict[str, int] = Field(default_factory=dict)
    sdks: int = 0
    permissions: int = 0

    @property
    def label(self) -> str:
        name = self.version_name or "?"
        return f"{name} ({self.version_code})" if self.version_code else name


def release_key(run: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """Two runs are the same release when versionCode and versionName match (the APK hash when both are missing)."""
    if run.get("version_code") is None and run.get("version_name") is None:
        return (None, None, run.get("apk_sha256"))
    return (run.get("version_code"), run.get("version_name"), None)


def _order(releases: list[Release]) -> list[Release]:
    """By versionCode when every release has a numeric one, else by when each was first seen."""
    if releases and all((r.version_code or "").isdigit() for r in releases):
        return sorted(releases, key=lambda r: (int(r.version_code or 0), r.first_seen))
    return sorted(releases, key=lambda r: r.first_seen)


def _severity_counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -SEVERITY_ORDER.get(kv[0], 0)))


def releases(store: HistoryStore, package: str) -> list[Release]:
    """Every release of the package seen in the store, oldest first."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for run in store.runs(package):
        groups.setdefault(release_key(run), []).append(run)
    result = []
    for runs in groups.values():
        reports = [r for r in runs if r["kind"] == "report"]
        chosen = (reports or runs)[-1]
        detail = store.run_detail(chosen["id"]) or {}
        result.append(
            Release(
                package=package,
                version_name=chosen["version_name"],
                version_code=chosen["version_code"],
                apk_sha256=chosen["apk_sha256"],
                first_seen=runs[0]["started_at"],
                last_seen=runs[-1]["started_at"],
                runs=len(runs),
                run_id=chosen["id"],
                run_kind=chosen["kind"],
                findings_by_severity=_severity_counts(detail.get("findings", [])),
                sdks=len(detail.get("sdks", [])),
                permissions=len(detail.get("permissions", [])),
            )
        )
    return _order(result)


def _detail_of_record(run: RunRecord) -> dict[str, Any]:
    return {
        "kind": run.kind,
        "findings": [f.model_dump(mode="json") for f in run.findings],
        "sdks": [{"sdk_key": s.key, "name": s.name} for s in run.sdks],
        "permissions": [{"name": p.name} for p in run.permissions],
        "identifiers": [i.model_dump() for i in run.identifiers],
    }


def compare(package: str, previous_label: str, current_label: str, previous: dict[str, Any], current: dict[str, Any]) -> ReleaseChanges:
    """Diff two run details (as returned by HistoryStore.run_detail)."""
    compared = previous["kind"] == "report" and current["kind"] == "report"
    names = {s["sdk_key"]: s["name"] for s in previous["sdks"] + current["sdks"]}

    def reader(i: dict[str, str]) -> str:
        return f"{names.get(i['sdk_key'], i['sdk_key'].removeprefix('name:'))} -> {i['identifier']}"

    sdks_added, sdks_removed = added_removed((s["sdk_key"] for s in previous["sdks"]), (s["sdk_key"] for s in current["sdks"]))
    permissions_added, permissions_removed = added_removed(
        (p["name"] for p in previous["permissions"]), (p["name"] for p in current["permissions"])
    )
    identifiers_added, identifiers_removed = added_removed(map(reader, previous["identifiers"]), map(reader, current["identifiers"]))
    match = match_findings(map(Finding.model_validate, previous["findings"]), map(Finding.model_validate, current["findings"]))
    return ReleaseChanges(
        package=package,
        previous_version=previous_label,
        current_version=current_label,
        previous_run_id=previous.get("id"),
        findings_compared=compared,
        new=by_severity(match.new) if compared else [],
        fixed=by_severity(match.fixed) if compared else [],
        persisting=by_severity(current for _, current in match.persisting) if compared else [],
        sdks_added=sorted(names[k] for k in sdks_added),
        sdks_removed=sorted(names[k] for k in sdks_removed),
        permissions_added=permissions_added,
        permissions_removed=permissions_removed,
        identifiers_added=identifiers_added,
        identifiers_removed=identifiers_removed,
    )


def changes_between(store: HistoryStore, package: str) -> list[ReleaseChanges]:
    """What changed between each pair of consecutive releases."""
    ordered = releases(store, package)
    result = []
    for old, new in pairwise(ordered):
        previous = store.run_detail(old.run_id or 0)
        current = store.run_detail(new.run_id or 0)
        if previous and current:
            result.append(compare(package, old.label, new.label, previous, current))
    return result


def changes_since_previous(store: HistoryStore, run: RunRecord) -> ReleaseChanges | None:
    """What changed since the previous release of `run`'s package, or None when the store has none.

    Works whether or not `run` itself is already recorded: runs of its own release are never the "previous" one.
    """
    if not run.package:
        return None
    own_key = release_key(run.model_dump())
    others = [r for r in releases(store, run.package) if release_key(r.model_dump()) != own_key]
    if not others:
        return None
    current = Release(
        package=run.package, version_name=run.version_name, version_code=run.version_code, apk_sha256=run.apk_sha256,
        first_seen=run.started_at, last_seen=run.started_at, runs=1, run_kind=run.kind,
    )  # fmt: skip
    ordered = _order([*others, current])
    position = next(i for i, r in enumerate(ordered) if r is current)
    if position == 0:
        return None  # every release in the store is newer than this one
    previous = ordered[position - 1]
    detail = store.run_detail(previous.run_id or 0)
    if detail is None:
        return None
    return compare(run.package, previous.label, current.label, detail, _detail_of_record(run))

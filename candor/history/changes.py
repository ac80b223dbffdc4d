"""Releases of a package and what changed between one release and the previous one."""

from itertools import pairwise
from typing import Any

from pydantic import Field

from candor.history.records import RunRecord
from candor.history.store import HistoryStore
from candor.model.common import SEVERITY_ORDER, InventoryChanges, Model


class FindingRef(Model):
    id: str
    kind: str
    severity: str
    title: str


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


class ReleaseChanges(InventoryChanges):
    """What changed from `previous` to `current`; findings only compared when both evaluated them (reports)."""

    package: str
    previous: str
    current: str
    previous_run_id: int | None = None
    findings_compared: bool
    new_findings: list[FindingRef] = Field(default_factory=list)
    fixed_findings: list[FindingRef] = Field(default_factory=list)
    persisting_findings: list[FindingRef] = Field(default_factory=list)
    identifiers_added: list[str] = Field(default_factory=list, description="'sdk -> identifier' readers new in this release.")
    identifiers_removed: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        lists = (self.new_findings, self.fixed_findings, self.sdks_added, self.sdks_removed, self.permissions_added,
                 self.permissions_removed, self.identifiers_added, self.identifiers_removed)  # fmt: skip
        return not any(lists)


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


def _ref(finding: dict[str, Any]) -> FindingRef:
    return FindingRef(id=finding["id"], kind=finding["kind"], severity=finding["severity"], title=finding["title"])


def _by_severity(refs: list[FindingRef]) -> list[FindingRef]:
    return sorted(refs, key=lambda f: (-SEVERITY_ORDER.get(f.severity, 0), f.kind, f.id))


def compare(package: str, previous_label: str, current_label: str, previous: dict[str, Any], current: dict[str, Any]) -> ReleaseChanges:
    """Diff two run details (as returned by HistoryStore.run_detail)."""
    old_f = {f["id"]: f for f in previous["findings"]}
    new_f = {f["id"]: f for f in current["findings"]}
    compared = previous["kind"] == "report" and current["kind"] == "report"
    names = {s["sdk_key"]: s["name"] for s in previous["sdks"] + current["sdks"]}
    old_s = {s["sdk_key"] for s in previous["sdks"]}
    new_s = {s["sdk_key"] for s in current["sdks"]}
    old_p = {p["name"] for p in previous["permissions"]}
    new_p = {p["name"] for p in current["permissions"]}

    def reader(i: dict[str, str]) -> str:
        return f"{names.get(i['sdk_key'], i['sdk_key'].removeprefix('name:'))} -> {i['identifier']}"

    old_i = {reader(i) for i in previous["identifiers"]}
    new_i = {reader(i) for i in current["identifiers"]}
    return ReleaseChanges(
        package=package,
        previous=previous_label,
        current=current_label,
        previous_run_id=previous.get("id"),
        findings_compared=compared,
        new_findings=_by_severity([_ref(new_f[k]) for k in new_f.keys() - old_f.keys()]) if compared else [],
        fixed_findings=_by_severity([_ref(old_f[k]) for k in old_f.keys() - new_f.keys()]) if compared else [],
        persisting_findings=_by_severity([_ref(new_f[k]) for k in new_f.keys() & old_f.keys()]) if compared else [],
        sdks_added=sorted(names[k] for k in new_s - old_s),
        sdks_removed=sorted(names[k] for k in old_s - new_s),
        permissions_added=sorted(new_p - old_p),
        permissions_removed=sorted(old_p - new_p),
        identifiers_added=sorted(new_i - old_i),
        identifiers_removed=sorted(old_i - new_i),
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

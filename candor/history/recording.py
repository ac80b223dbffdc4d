"""Record one run: a scanned APK, or a prepared run record, into a store given by object or path."""

import os
from collections.abc import Iterable
from typing import Any

from candor.history.records import RunKind, RunRecord, record_from_scan
from candor.history.store import HistoryStore
from candor.model.findings import Finding
from candor.model.static import StaticScan


def record_scan(
    store: HistoryStore | str | os.PathLike[str],
    scan: StaticScan,
    *,
    kind: RunKind = "batch",
    findings: Iterable[Finding] = (),
    evidence: dict[str, Any] | None = None,
) -> int:
    """Record one scanned APK (with the findings a report evaluated, if any); returns the run id."""
    record = record_from_scan(scan, kind=kind, findings=findings, evidence=evidence)
    return record_run(store, record)


def record_run(store: HistoryStore | str | os.PathLike[str], record: RunRecord) -> int:
    """Record a prepared run; returns its id."""
    if isinstance(store, HistoryStore):
        return store.record(record)
    with HistoryStore(store) as opened:
        return opened.record(record)

"""`candor apk batch` and history: record each scanned APK as its result arrives."""

from pathlib import Path
from types import TracebackType
from typing import Self

from candor.history.records import record_from_scan
from candor.history.store import HistoryStore
from candor.model.batch import BatchResult


class BatchRecorder:
    """Records every successfully scanned APK of a batch as a history run of kind 'batch'; no store (None) records nothing."""

    def __init__(self, store_path: Path | None, out_dir: Path) -> None:
        self.store = HistoryStore(store_path) if store_path is not None else None
        self.out_dir = out_dir
        self.recorded = 0

    def __call__(self, result: BatchResult) -> None:
        if self.store is None or not result.ok or result.scan is None:
            return
        self.store.record(record_from_scan(result.scan, kind="batch", evidence={"apk": result.path, "batch_output": str(self.out_dir)}))
        self.recorded += 1

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

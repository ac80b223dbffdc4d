"""DaskExecutor on a real LocalCluster: streams every result, and a task that kills its worker fails alone."""

import os
import time
from pathlib import Path

import dask
import pytest

from apk_scan.batch.dask_executor import DaskExecutor, scheduler_address
from candor.errors import InputError
from candor.model.batch import BatchResult

pytestmark = pytest.mark.slow


def square_or_die(item: int) -> int:
    if item == 13:
        os._exit(1)  # the worker process dies, as on an out-of-memory kill
    return item * item


def test_results_stream_back_and_a_killed_worker_fails_one_item() -> None:
    from distributed import LocalCluster

    # one task per worker at a time, so only the suicidal task is on the worker that dies; no retries
    config = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(config), LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1",
                                                dashboard_address=":0") as cluster:  # fmt: skip
        executor = DaskExecutor("dask://" + cluster.scheduler_address.removeprefix("tcp://"), 2)
        assert executor.in_flight() == 4
        results = list(executor.map_unordered(square_or_die, [*range(10), 13, *range(10, 13)]))
    values = sorted(r for r in results if isinstance(r, int))
    assert values == [i * i for i in range(13)]
    [failure] = [r for r in results if isinstance(r, BatchResult)]
    assert failure.path == "13" and failure.ok is False and "dask task failed" in (failure.error or "")


def slow_first(item: int) -> int:
    time.sleep(4 if item == 0 else 0.05)
    return item


def test_results_stream_back_in_completion_order() -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0") as cluster:
        executor = DaskExecutor("dask://" + cluster.scheduler_address.removeprefix("tcp://"), 2)
        started = time.monotonic()
        arrivals = [(item, time.monotonic() - started) for item in executor.map_unordered(slow_first, range(8))]
    assert sorted(item for item, _ in arrivals) == list(range(8))
    assert arrivals[-1][0] == 0  # the slow APK comes last...
    assert arrivals[0][1] < 3  # ...and the others did not wait for it


def test_addresses() -> None:
    assert scheduler_address("dask://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert scheduler_address("dask://tls://host:8786") == "tls://host:8786"
    for bad in ("dask://", "dask://:8786", "dask://host:"):
        with pytest.raises(InputError):
            scheduler_address(bad)


def test_shared_storage_path_missing_on_workers_is_reported(tmp_path: Path) -> None:
    from apk_scan.batch.task import scan_one

    result = scan_one(str(tmp_path / "not-on-this-worker.apk"), 10, 512)
    assert result.ok is False and result.error == "cannot read file"

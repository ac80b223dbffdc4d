"""Executors: run a picklable function over items and yield results as they finish."""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from candor.errors import InputError


class Executor(Protocol):
    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]: ...


class LocalExecutor:
    """N concurrent worker processes: threads that each drive one child process per item (see `task.scan_one`)."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        pending: set[Future[Any]] = set()
        iterator = iter(items)
        with ThreadPoolExecutor(self.workers, thread_name_prefix="candor-apk") as pool:
            for item in iterator:
                pending.add(pool.submit(fn, item))
                if len(pending) >= self.workers * 2:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    nxt = next(iterator, None)
                    if nxt is not None:
                        pending.add(pool.submit(fn, nxt))


def get_executor(spec: str, workers: int) -> Executor:
    """`local` (worker processes on this machine) or `dask://host:port` (distributed)."""
    import os

    workers = workers or os.cpu_count() or 1
    if spec == "local":
        return LocalExecutor(workers)
    if spec.startswith("dask://"):
        try:
            from apk_scan.batch.dask_executor import DaskExecutor
        except ImportError as exc:
            raise InputError(f"the dask executor is not available: {exc}") from None
        return DaskExecutor(spec, workers)  # type: ignore[call-arg]
    raise InputError(f"unknown executor {spec!r}: use 'local' or dask://HOST:PORT")

"""`--executor dask://HOST:PORT`: run the per-APK task on an existing Dask distributed cluster.

Workers open each APK by the path the client sends, so every worker must see the same files at the same path
(shared storage, see docs/scale-out.md). Results stream back in completion order through `as_completed`.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from apk_scan.batch.task import trackers_for_workers
from candor.errors import InputError

CONNECT_TIMEOUT_S = 10.0


def scheduler_address(spec: str) -> str:
    """dask://HOST:PORT -> tcp://HOST:PORT (dask://tls://HOST:PORT keeps its protocol)."""
    rest = spec.removeprefix("dask://")
    if not rest or rest.startswith(":") or rest.endswith(":"):
        raise InputError(f"bad executor {spec!r}: use dask://HOST:PORT")
    return rest if "://" in rest else f"tcp://{rest}"


class DaskExecutor:
    """Submits one task per item to the cluster, keeping a bounded number in flight, and yields results as they finish."""

    def __init__(self, spec: str, workers: int = 0, connect_timeout_s: float = CONNECT_TIMEOUT_S) -> None:
        from distributed import Client

        self.address = scheduler_address(spec)
        try:
            self.client = Client(self.address, timeout=connect_timeout_s, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {self.address}: {str(exc).splitlines()[0]}") from None
        self.workers = workers
        try:  # each worker loads the scanner and this run's catalog (with --trackers, if given) once, not once per APK
            self.client.run(warm_up, trackers_for_workers())  # workers must see the file at the same path
        except Exception as exc:
            self.client.close()
            raise InputError(f"Dask workers at {self.address} cannot run Candor (install it on every worker): {exc}") from None

    def in_flight(self) -> int:
        """Tasks kept submitted at once: twice the cluster's threads (or the requested workers)."""
        threads = sum(self.client.nthreads().values())
        return 2 * max(threads, self.workers, 1)

    def map_unordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        iterator = iter(items)
        batch = uuid.uuid4().hex[:8]
        count = 0

        def submit(item: Any):
            nonlocal count
            count += 1
            return self.client.submit(fn, item, key=f"candor-scan-{batch}-{count}", pure=False)

        origin: dict[str, tuple[Any, Any]] = {}
        first = []
        for item in iterator:
            future = submit(item)
            origin[future.key] = (future, item)
            first.append(future)
            if len(first) >= self.in_flight():
                break
        pending = as_completed(first, loop=self.client.loop)
        try:
            for future in pending:
                _, item = origin.pop(future.key)
                yield _result_or_failure(future, item)
                future.release()
                nxt = next(iterator, None)
                if nxt is not None:
                    new = submit(nxt)
                    origin[new.key] = (new, nxt)
                    pending.add(new)
        finally:
            if origin:
                self.client.cancel([future for future, _ in origin.values()])
            self.client.close()


def warm_up(trackers: str | None = None) -> None:
    """In each worker: the same catalog as the client, imports and catalog loaded once (not per APK)."""
    from apk_scan.batch.task import preload
    from candor.catalog.session import use_trackers

    use_trackers(Path(trackers) if trackers else None)  # also resets a previous batch's --trackers
    preload()


def _result_or_failure(future: Any, item: Any) -> Any:
    """The task's result; a lost task (worker killed, unpicklable result) becomes a failed per-APK result."""
    try:
        return future.result()
    except Exception as exc:
        from apk_scan.batch.task import file_sha256
        from candor.model.batch import BatchResult

        path = str(item)
        return BatchResult(path=path, sha256=file_sha256(path), ok=False, error=f"dask task failed: {type(exc).__name__}: {exc}")

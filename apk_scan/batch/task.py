"""`scan_one`: scan one APK in a child process with a timeout and an address-space limit.

Top-level and picklable, so any executor (local threads, dask) can run it; the child process is
killed on timeout, and a MemoryError or crash in it never takes the caller down. Children fork from
a clean multiprocessing fork server that has already imported the scanner and loaded the catalog:
cheap to start, single-threaded, and with a small heap, so the address-space limit really bites.
"""

import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from candor.hashing import file_sha256 as sha256_of
from candor.model.batch import BatchResult
from candor.model.static import StaticScan

Outcome = tuple[StaticScan | None, str | None]  # what a worker sends back: (scan, None) or (None, error)


def file_sha256(path: str) -> str | None:
    """The APK's SHA-256, or None when it cannot be read (the scan then reports why)."""
    try:
        return sha256_of(path)
    except OSError:
        return None


def _limit_memory(memory_mb: int) -> None:
    """Cap the address space at what the process already maps plus `memory_mb`."""
    try:
        import resource

        import psutil

        current = psutil.Process().memory_info().vms
        limit = current + memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def preload() -> None:
    """Import everything a scan needs and load the catalog (before forking or limiting memory)."""
    import androguard.core.axml  # noqa: F401 - lazily imported by the manifest parser
    import lxml.etree  # noqa: F401

    import apk_scan.scanner  # noqa: F401
    from candor.catalog.session import current_catalog

    current_catalog()
    BatchResult.model_rebuild(force=True)  # models build their schema on first use (defer_build): do it once here


_MEMORY_HINTS = ("cannot allocate memory", "failed to map segment", "out of memory")


def _scan_in_process(path: str) -> Outcome:
    from candor.errors import CandorError

    try:
        from apk_scan.scanner import scan_apk

        return scan_apk(Path(path)), None
    except CandorError as exc:
        return None, str(exc)
    except MemoryError:
        return None, "memory limit exceeded"
    except Exception as exc:  # one bad APK must not stop the batch
        if any(hint in str(exc).lower() for hint in _MEMORY_HINTS):
            return None, "memory limit exceeded"
        return None, f"internal error: {type(exc).__name__}: {exc}"


def _child(path: str, memory_mb: int, conn: Connection, trackers: str | None = None) -> None:
    if trackers:
        from candor.catalog.session import use_trackers

        use_trackers(Path(trackers))
    preload()
    _limit_memory(memory_mb)
    over = f"memory limit of {memory_mb} MB exceeded"
    try:
        scan, error = _scan_in_process(path)
    except MemoryError:
        scan, error = None, over
    outcome: Outcome = (scan, over if error == "memory limit exceeded" else error)
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send((None, over))
    conn.close()


def trackers_for_workers() -> str | None:
    """The --trackers file of this run as a string, for workers (they load their own catalog)."""
    from candor.catalog.session import trackers_file

    value = trackers_file()
    return str(value) if value else None


def _can_fork() -> bool:
    return sys.platform != "win32" and not multiprocessing.current_process().daemon


def scan_one(path: str, timeout_s: float, memory_mb: int) -> BatchResult:
    """The scan of one APK, or why it failed; never raises."""
    started = time.perf_counter()
    sha256 = file_sha256(str(path))

    def result(scan: StaticScan | None, error: str | None) -> BatchResult:
        duration = round(time.perf_counter() - started, 3)
        return BatchResult(path=str(path), sha256=sha256, ok=scan is not None, scan=scan, error=error, duration_s=duration)

    if sha256 is None:
        return BatchResult(path=str(path), ok=False, error="cannot read file")
    if not _can_fork():
        return result(*_scan_in_process(str(path)))
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["apk_scan.batch.forkserver_preload"])
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(str(path), memory_mb, sender, trackers_for_workers()), daemon=True)
    process.start()
    sender.close()
    received = False
    try:
        if receiver.poll(timeout_s):
            try:
                scan, error = receiver.recv()
                received = True
            except (EOFError, OSError):
                scan, error = None, f"worker died (exit code {process.exitcode})"
        else:
            scan, error = None, f"timed out after {timeout_s:g}s"
    finally:
        receiver.close()
        if received:
            process.join(2)  # it is exiting on its own: do not kill it and mistake that for a crash
        if process.is_alive():
            process.kill()
        process.join(5)
    if not received and process.exitcode and process.exitcode < 0 and "timed out" not in (error or ""):
        error = f"worker killed by signal {-process.exitcode} (memory limit {memory_mb} MB?)"
    return result(scan, error)


if __name__ == "__main__":  # python -m apk_scan.batch.task APK [timeout] [memory_mb]
    args = sys.argv[1:]
    print(scan_one(args[0], float(args[1]) if len(args) > 1 else 300.0, int(args[2]) if len(args) > 2 else 2048).model_dump_json()[:2000])
    os._exit(0)

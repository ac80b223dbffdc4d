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
from typing import Any

from candor.hashing import file_sha256 as sha256_of


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


_MEMORY_HINTS = ("cannot allocate memory", "failed to map segment", "out of memory")


def _scan_in_process(path: str) -> dict[str, Any]:
    from candor.errors import CandorError

    try:
        from apk_scan.scanner import scan_apk

        scan = scan_apk(Path(path))
        return {"ok": True, "scan": scan.model_dump(mode="json")}
    except CandorError as exc:
        return {"ok": False, "error": str(exc)}
    except MemoryError:
        return {"ok": False, "error": "memory limit exceeded"}
    except Exception as exc:  # one bad APK must not stop the batch
        if any(hint in str(exc).lower() for hint in _MEMORY_HINTS):
            return {"ok": False, "error": "memory limit exceeded"}
        return {"ok": False, "error": f"internal error: {type(exc).__name__}: {exc}"}


def _child(path: str, memory_mb: int, conn: Connection, trackers: str | None = None) -> None:
    if trackers:
        from candor.catalog.session import use_trackers

        use_trackers(Path(trackers))
    preload()
    _limit_memory(memory_mb)
    try:
        result = _scan_in_process(path)
    except MemoryError:
        result = {"ok": False, "error": f"memory limit of {memory_mb} MB exceeded"}
    if result.get("error") == "memory limit exceeded":
        result["error"] = f"memory limit of {memory_mb} MB exceeded"
    try:
        conn.send(result)
    except MemoryError:
        conn.send({"ok": False, "error": f"memory limit of {memory_mb} MB exceeded"})
    conn.close()


def _trackers() -> str | None:
    """The --trackers file of this run, for workers (they load their own catalog)."""
    from candor.catalog import session

    value = getattr(session, "_trackers", None)
    return str(value) if value else None


def _can_fork() -> bool:
    return sys.platform != "win32" and not multiprocessing.current_process().daemon


def scan_one(path: str, timeout_s: float, memory_mb: int) -> dict[str, Any]:
    """{"path", "sha256", "ok", "scan" | "error", "duration_s"} for one APK; never raises."""
    started = time.perf_counter()
    base: dict[str, Any] = {"path": str(path), "sha256": file_sha256(str(path))}
    if base["sha256"] is None:
        return {**base, "ok": False, "error": "cannot read file", "duration_s": 0.0}
    if not _can_fork():
        return {**base, **_scan_in_process(str(path)), "duration_s": round(time.perf_counter() - started, 3)}
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["apk_scan.batch.server_preload"])
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(str(path), memory_mb, sender, _trackers()), daemon=True)
    process.start()
    sender.close()
    received = False
    try:
        if receiver.poll(timeout_s):
            try:
                result = receiver.recv()
                received = True
            except (EOFError, OSError):
                result = {"ok": False, "error": f"worker died (exit code {process.exitcode})"}
        else:
            result = {"ok": False, "error": f"timed out after {timeout_s:g}s"}
    finally:
        receiver.close()
        if received:
            process.join(2)  # it is exiting on its own: do not kill it and mistake that for a crash
        if process.is_alive():
            process.kill()
        process.join(5)
    if not received and not result.get("ok") and process.exitcode and process.exitcode < 0 and "timed out" not in result.get("error", ""):
        result = {"ok": False, "error": f"worker killed by signal {-process.exitcode} (memory limit {memory_mb} MB?)"}
    return {**base, **result, "duration_s": round(time.perf_counter() - started, 3)}


if __name__ == "__main__":  # python -m apk_scan.batch.task APK [timeout] [memory_mb]
    import json

    args = sys.argv[1:]
    print(json.dumps(scan_one(args[0], float(args[1]) if len(args) > 1 else 300.0, int(args[2]) if len(args) > 2 else 2048))[:2000])
    os._exit(0)

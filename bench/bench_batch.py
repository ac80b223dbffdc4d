"""Batch throughput: APKs per minute with 1 and 2 local workers and through a Dask LocalCluster, side by side.

Goals: >= 1.8x from 1 to 2 local workers on a 2-core machine; Dask overhead < 10% against the local pool.
Run: `python -m bench batch` or `python -m bench.bench_batch [N_APKS]`. Prints numbers only; asserts nothing.
"""

import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Catalog id the scanner reports -> (main class, an identifier-reading call); a corpus app embeds a random subset of them.
TM = "Landroid/telephony/TelephonyManager;->"
WIFI_MAC = "Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;"
LAST_LOCATION = "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;"
SDK_POOL: dict[str, tuple[str, str]] = {
    "umeng_common": ("com.umeng.commonsdk.UMConfigure", TM + "getDeviceId()Ljava/lang/String;"),
    "jpush": ("cn.jpush.android.api.JPushInterface", TM + "getSubscriberId()Ljava/lang/String;"),
    "tencent_bugly": ("com.tencent.bugly.crashreport.CrashReport", WIFI_MAC),
    "getui": ("com.igexin.sdk.PushManager", TM + "getDeviceId()Ljava/lang/String;"),
    "pangle": ("com.bytedance.sdk.openadsdk.TTAdSdk", TM + "getImei()Ljava/lang/String;"),
    "tencent_gdt": ("com.qq.e.comm.managers.GDTAdSdk", WIFI_MAC),
    "baidu_location": ("com.baidu.location.LocationClient", LAST_LOCATION),
    "amap_location": ("com.amap.api.location.AMapLocationClient", TM + "getSimSerialNumber()Ljava/lang/String;"),
}  # fmt: skip
PERMISSIONS = ("android.permission.INTERNET", "android.permission.READ_PHONE_STATE", "android.permission.ACCESS_FINE_LOCATION",
               "android.permission.ACCESS_WIFI_STATE", "android.permission.CAMERA")  # fmt: skip
CACHE = Path(tempfile.gettempdir()) / "candor-bench-corpus"
FILLER_COPIES = 10  # multi-dex: the filler DEX as classes2..classes11.dex, so each APK is real scanning work


def corpus_sdks(index: int) -> list[str]:
    """The SDKs app number `index` embeds (deterministic)."""
    rng = random.Random(index)
    return sorted(rng.sample(sorted(SDK_POOL), rng.randint(1, 4)))


def filler_dex(classes: int = 3000) -> bytes:
    """A large DEX of plain app code shared by every corpus APK (assembled once, cached): scanning work, not SDKs."""
    from examples.apk_builder import assemble_dex, smali_class

    cached = CACHE / f"filler-{classes}.dex"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        sources = [smali_class(f"com.corpus.common.Screen{i}", strings=[f"screen {i}"], extra_methods=4) for i in range(classes)]
        partial = cached.with_suffix(".partial")
        partial.write_bytes(assemble_dex(sources))
        partial.replace(cached)
    return cached.read_bytes()


def build_corpus_apk(index: int, out: Path, filler: bytes | None = None) -> Path:
    """One APK: a little app code and some SDKs (each reading an identifier), plus the shared filler DEX."""
    from examples.apk_builder import ApkSpec, Call, Component, build_apk, smali_class

    package = f"com.corpus.app{index:03d}"
    sdks = corpus_sdks(index)
    classes = [smali_class(f"{package}.Main", strings=[package])]
    classes += [smali_class(SDK_POOL[s][0], method="init", calls=[Call(SDK_POOL[s][1])]) for s in sdks]
    spec = ApkSpec(
        package=package,
        version_name=f"1.{index}",
        version_code=100 + index,
        app_name=f"Corpus {index}",
        permissions=list(PERMISSIONS[: 1 + index % len(PERMISSIONS)]),
        components=[Component("activity", f"{package}.Main", exported=True, actions=["android.intent.action.MAIN"])],
        dex={"classes.dex": classes},
        raw_entries={f"classes{n}.dex": filler for n in range(2, 2 + FILLER_COPIES)} if filler else {},
    )
    return build_apk(spec, out)


def build_corpus(directory: Path, count: int, heavy: bool = True) -> list[Path]:
    """`count` APKs in `directory`, built once and reused while present; `heavy` adds the shared filler DEX."""
    directory.mkdir(parents=True, exist_ok=True)
    filler = filler_dex() if heavy else None
    paths = []
    for index in range(count):
        path = directory / f"app{index:03d}.apk"
        if not path.exists():
            partial = directory / f".app{index:03d}.partial.apk"
            build_corpus_apk(index, partial, filler)
            partial.replace(path)
        paths.append(path)
    return paths


def _run(corpus: Path, executor: str, jobs: int) -> tuple[float, int]:
    """Seconds for one `candor apk batch` run (fresh output directory, no progress bar, no history) and APKs scanned."""
    from apk_scan.batch.runner import run_batch

    out = Path(tempfile.mkdtemp(prefix="candor-bench-out-"))
    try:
        started = time.perf_counter()
        summary = run_batch([corpus], out, jobs=jobs, executor=executor, progress=False)
        return time.perf_counter() - started, summary.scanned
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _best(corpus: Path, executor: str, jobs: int, repeats: int) -> tuple[float, int]:
    runs = [_run(corpus, executor, jobs) for _ in range(repeats)]
    return min(runs)


def main(count: int = 20, repeats: int = 3) -> None:
    import dask
    from distributed import LocalCluster

    started = time.perf_counter()
    corpus = CACHE / f"n{count}"
    build_corpus(corpus, count)
    print(f"corpus: {count} APKs in {corpus} (ready in {time.perf_counter() - started:.1f}s; best of {repeats} runs each)")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other work on the machine skews the numbers)")
    _run(corpus, "local", 1)  # warm-up: imports and the catalog load once per process, not per executor
    rows: list[tuple[str, float, int]] = []
    for jobs in (1, 2):
        seconds, scanned = _best(corpus, "local", jobs, repeats)
        rows.append((f"local, {jobs} worker{'s' if jobs > 1 else ''}", seconds, scanned))
    for daemon in (True, False):
        with dask.config.set({"distributed.worker.daemon": daemon}), LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0"
        ) as cluster:  # fmt: skip
            spec = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
            seconds, scanned = _best(corpus, spec, 2, repeats)
        how = "scan in the worker" if daemon else "child process per APK"
        rows.append((f"dask LocalCluster, 2 workers ({how})", seconds, scanned))
    print(f"{'executor':<58} {'seconds':>8} {'APKs/min':>9}")
    for name, seconds, scanned in rows:
        print(f"{name:<58} {seconds:>8.2f} {scanned / seconds * 60:>9.1f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    one, two = rows[0][1], rows[1][1]
    speedup = one / two
    print(f"speed-up 1 -> 2 local workers: {speedup:.2f}x (goal >= 1.8x) {'OK' if speedup >= 1.8 else 'MISSED'}")
    for name, seconds, _ in rows[2:]:
        overhead = seconds / two - 1
        verdict = "OK" if overhead < 0.10 else "MISSED"
        print(f"dask overhead vs local pool ({name.split('(')[1].rstrip(')')}): {overhead:+.1%} (goal < 10%) {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

"""APK scan speed and memory: Candor's scan vs. androguard's AnalyzeAPK vs. dexdump's class listing, side by side.

Run: `python -m bench apk` or `python -m bench.bench_apk [--real-only | --generated-only | --startup] [--corpus DIR] [--repeat 3]
[--big-mb 50] [--androguard-timeout 900] [--skip-androguard-big]`.

Two modes, both printed by default:

* real APKs, whole process: every APK of 3-4 MB in the shared corpus (`../shared/corpus/apks`, or --corpus) is run
  through `candor apk scan APK --format json` (the full scan: SDK presence, code ownership, call sites, launch facts,
  endpoints), `python -c "AnalyzeAPK(APK)"` and `dexdump APK`, each as its own process, start-up and imports included.
  Python processes get a bytecode cache (PYTHONPYCACHEPREFIX, as an installed package has .pyc files) and a warmed
  catalog cache; each tool is timed `--repeat` times, best wall time and best CPU time (user+sys) printed. CPU time
  is steadier than wall time when other work shares the machine.
* generated APKs, in-process: the measured call only, as below.
* `--startup` only: the CPU of one whole-process scan split into interpreter, numpy, the scan's records, Candor's own
  modules, catalog load and the scan itself (each step a process of its own; the difference is the step's cost).

APKs measured (all built with the real toolchain, cached under $TMPDIR/candor-bench-apk):
* the test fixtures (tests/apk_scan/apps.py): a multi-DEX app with SDKs, a nested-APK app, a packed app, a clean app;
* a generated ~50 MB multi-DEX APK: three DEX files of 3,000 generated classes each (10 methods per class with
  constant strings, arithmetic and call chains; every 40th class reads an identifier; 10% of the classes sit in
  Umeng/Bugly packages) are assembled once with smali (~12 s each) and repeated as classes.dex..classesN.dex until
  the DEX total reaches the target size, stored uncompressed like AGP does for minSdk >= 28. Repeating assembled
  DEX files keeps generation to about a minute; each DEX entry is still parsed and scanned independently.

Each tool runs in its own subprocess; time excludes interpreter start-up and imports (and the catalog load for Candor);
peak memory is the growth of the peak RSS during the measured call (`ru_maxrss` after minus RSS before).
Goals: Candor >= 20x faster than AnalyzeAPK; within 3x of dexdump's class listing; peak memory < 5x the
inflated DEX size. Prints numbers and ratios; asserts nothing.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(tempfile.gettempdir()) / "candor-bench-apk"
CLASSES_PER_DEX = 3000
DISTINCT_DEX = 3

_MEASURE = r"""
import json, resource, sys, time
import psutil
tool, path = sys.argv[1], sys.argv[2]
if tool == "candor":
    from apk_scan.scanner import scan_apk
    from apk_scan.batch.task import preload
    preload()
    run = lambda: scan_apk(path)
    summary = lambda r: {"classes": sum(d.classes for d in r.dex_files), "call_sites": len(r.call_sites), "sdks": len(r.sdks)}
else:
    from loguru import logger
    logger.remove()
    from androguard.misc import AnalyzeAPK
    run = lambda: AnalyzeAPK(path)
    summary = lambda r: {"classes": len(list(r[2].get_classes()))}
before = psutil.Process().memory_info().rss
start = time.perf_counter()
result = run()
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_growth": max(0, peak - before), **summary(result)}))
"""


def _class_smali(k: int, methods: int = 10, body: int = 12) -> str:
    """One generated class; some live in SDK packages and some read identifiers."""
    package = "com/umeng/commonsdk/gen" if k % 20 == 0 else "com/tencent/bugly/gen" if k % 20 == 1 else f"com/bench/p{k % 300}"
    name = f"L{package}/C{k};"
    out = [f".class public {name}", ".super Ljava/lang/Object;", ""]
    for m in range(methods):
        out += [f".method public static m{m}(I)I", "    .registers 4", f'    const-string v1, "bench.string.{k}.{m}.abcdefghijklmnop"']
        for i in range(body):
            out += [f"    add-int/lit8 p0, p0, {i + 1}", f"    mul-int/lit16 v2, p0, {k % 30000}"]
        if m == 0 and k % 40 == 0:
            out += ["    invoke-virtual {v1}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"]
        if m == 0 and k % 40 == 1:
            out += ["    invoke-virtual {v1}, Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;",
                    '    const-string v1, "https://ulogs.umeng.com/unify_logs"']  # fmt: skip
        if m + 1 < methods:
            out += [f"    invoke-static {{p0}}, {name}->m{m + 1}(I)I", "    move-result p0"]
        out += ["    return p0", ".end method"]
    return "\n".join(out) + "\n"


def big_apk(target_mb: int) -> Path:
    """The generated multi-DEX APK of about `target_mb` MB of DEX (cached)."""
    sys.path.insert(0, str(ROOT))
    from examples.apk_builder import ApkSpec, Component, assemble_dex, build_apk

    out = CACHE / f"big_{target_mb}mb.apk"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    dexes: list[bytes] = []
    for d in range(DISTINCT_DEX):
        cached = CACHE / f"gen{d}.dex"
        if not cached.exists():
            started = time.perf_counter()
            assemble_dex([_class_smali(d * CLASSES_PER_DEX + k) for k in range(CLASSES_PER_DEX)], cached)
            print(f"  assembled {cached.name}: {cached.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.0f}s", flush=True)
        dexes.append(cached.read_bytes())
    entries: dict[str, bytes] = {}
    total, i = 0, 0
    while total < target_mb * 1_000_000:
        name = "classes.dex" if i == 0 else f"classes{i + 1}.dex"
        entries[name] = dexes[i % len(dexes)]
        total += len(entries[name])
        i += 1
    spec = ApkSpec(package="com.bench.big", app_name="Big", min_sdk=28, target_sdk=34,
                   permissions=["android.permission.READ_PHONE_STATE", "android.permission.INTERNET"],
                   meta_data={"UMENG_APPKEY": "0123456789abcdef01234567"},
                   components=[Component("activity", ".Main", exported=True, actions=["android.intent.action.MAIN"])],
                   native_libs={"lib/arm64-v8a/libBugly.so": None}, raw_entries=entries, stored=list(entries))  # fmt: skip
    return build_apk(spec, out)


def fixture_apks() -> list[Path]:
    """The test-suite fixture apps (built once, cached)."""
    sys.path.insert(0, str(ROOT))
    from examples.apk_builder import build_apk
    from tests.apk_scan import apps

    paths = []
    for name in ("sdk_app", "nested_app", "packed_app", "clean_app"):
        out = CACHE / f"{name}.apk"
        if not out.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            build_apk(getattr(apps, name)(), out)
        paths.append(out)
    return paths


def inflated_dex_bytes(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return sum(i.file_size for i in zf.infolist() if i.filename.endswith(".dex"))


def measure(tool: str, path: Path, timeout: float) -> dict | None:
    """Seconds and peak memory growth of one tool on one APK (in a fresh subprocess)."""
    try:
        proc = subprocess.run([sys.executable, "-c", _MEASURE, tool, str(path)], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f}s"}
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:120]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_dexdump(path: Path, repeat: int = 3) -> dict:
    """Best of `repeat` runs of `dexdump APK` (lists every class with its fields and methods)."""
    best = float("inf")
    classes = 0
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.run(["dexdump", str(path)], capture_output=True)
        best = min(best, time.perf_counter() - started)
        classes = proc.stdout.count(b"Class descriptor")
    return {"seconds": best, "classes": classes}


CANDOR_CMD = [sys.executable, "-c", "from candor.cli.main import run; run()", "apk", "scan"]
ANDROGUARD_CMD = [sys.executable, "-c", "import sys\nfrom loguru import logger\nlogger.remove()\n"
                  "from androguard.misc import AnalyzeAPK\nAnalyzeAPK(sys.argv[1])"]  # fmt: skip


def real_apks(folder: Path, min_mb: float, max_mb: float) -> list[Path]:
    """The corpus APKs whose size lies in [min_mb, max_mb]."""
    return sorted(p for p in folder.glob("*.apk") if min_mb * 1e6 <= p.stat().st_size <= max_mb * 1e6)


def python_env() -> dict[str, str]:
    """Environment of the measured Python processes: bytecode cached as after an install, catalog cache warmed."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    env["CANDOR_CACHE_DIR"] = str(CACHE / "catalog")
    return env


def whole_process(cmd: list[str], repeat: int, env: dict[str, str] | None, timeout: float, read_output: bool = False) -> dict:
    """Best wall and best CPU (user+sys) seconds of `repeat` runs of a command; its output is discarded, or read
    through a pipe when `read_output` (dexdump's listing is its result, as when a tool consumes it)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        try:
            proc = subprocess.run(cmd, stdout=subprocess.PIPE if read_output else subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  env=env, cwd=ROOT, timeout=timeout)  # fmt: skip
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f}s"}
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            return {"error": (proc.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[-1][:160]}
    return {"wall": min(walls), "cpu": min(cpus), "wall_median": sorted(walls)[len(walls) // 2]}


def real_mode(folder: Path, repeat: int, timeout: float) -> None:
    """Whole-process times of the three tools on the real 3-4 MB APKs, with ratios, plus their totals."""
    apks = real_apks(folder, 3.0, 4.0)
    if not apks:
        print(f"real APKs: none of 3-4 MB in {folder} (skipped)")
        return
    env = python_env()
    for apk in apks[:1]:  # warm the bytecode and catalog caches (not timed)
        subprocess.run([*CANDOR_CMD, str(apk), "--format", "json"], stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
        subprocess.run([*ANDROGUARD_CMD, str(apk)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    print(f"real APKs, whole process, best of {repeat} (wall s / CPU s)")
    print(f"{'APK':<34}{'MB':>5}  {'candor':>13}{'androguard':>15}{'dexdump':>13}  {'AG/candor':>15}{'candor/dexdump':>16}")
    totals = {"candor": [0.0, 0.0], "androguard": [0.0, 0.0], "dexdump": [0.0, 0.0]}
    for apk in apks:
        results = {
            "candor": whole_process([*CANDOR_CMD, str(apk), "--format", "json"], repeat, env, timeout),
            "androguard": whole_process([*ANDROGUARD_CMD, str(apk)], repeat, env, timeout),
            "dexdump": whole_process(["dexdump", str(apk)], repeat, None, timeout, read_output=True),
        }
        cells = []
        for name, result in results.items():
            if "error" in result:
                cells.append(f"{'error':>13}")
                print(f"    {apk.name} {name}: {result['error']}")
                continue
            totals[name][0] += result["wall"]
            totals[name][1] += result["cpu"]
            cells.append(f"{result['wall']:6.2f}/{result['cpu']:5.2f}")
        c, a, d = (results[n] for n in ("candor", "androguard", "dexdump"))
        ok = not any("error" in r for r in (c, a, d))
        vs_ag = f"{a['wall'] / c['wall']:6.1f}/{a['cpu'] / c['cpu']:5.1f}x" if ok else "n/a"
        vs_dd = f"{c['wall'] / d['wall']:6.2f}/{c['cpu'] / d['cpu']:5.2f}x" if ok else "n/a"
        print(f"{apk.name[:33]:<34}{apk.stat().st_size / 1e6:5.1f}  {cells[0]:>13}{cells[1]:>15}{cells[2]:>13}  {vs_ag:>15}{vs_dd:>16}",
              flush=True)  # fmt: skip
    (cw, cc), (aw, ac), (dw, dc) = totals["candor"], totals["androguard"], totals["dexdump"]
    if cw and cc and dw and dc:
        print(f"{'all (sum)':<39}  {cw:6.2f}/{cc:5.2f}{aw:9.2f}/{ac:5.2f}{dw:7.2f}/{dc:5.2f}  "
              f"{aw / cw:6.1f}/{ac / cc:5.1f}x{cw / dw:9.2f}/{cc / dc:5.2f}x")  # fmt: skip
    print("goals (whole process): AG/candor >= 20x; candor/dexdump <= 3x")


# Where a whole-process `candor apk scan` spends its CPU: each step is its own process (start-up included); the
# difference to the step before is that step's cost. The fixed costs (interpreter, numpy) bound the ratios.
_STARTUP_STEPS = (
    ("interpreter", "pass"),
    ("+ numpy (one thread, as the scan loads it)", "import apk_scan, numpy"),
    ("+ scan records (candor.model.static)", "import apk_scan, numpy; import candor.model.static"),
    ("+ Candor's scan modules", "import apk_scan.scanner, apk_scan.render, candor.cli.output"),
    ("+ compiled catalog (cache)", "import apk_scan.scanner, apk_scan.render, candor.cli.output\n"
                                   "from candor.catalog.session import current_catalog; current_catalog()"),
)  # fmt: skip


def startup_mode(folder: Path, repeat: int) -> None:
    """Best CPU seconds of each start-up step, then of the whole scan of the first real 3-4 MB APK."""
    apks = real_apks(folder, 3.0, 4.0)
    env = python_env()
    print(f"start-up breakdown, whole process, best CPU s of {repeat}")
    previous = 0.0
    steps = [(name, [sys.executable, "-c", code]) for name, code in _STARTUP_STEPS]
    if apks:
        steps.append((f"+ scan and JSON of {apks[0].name}", [*CANDOR_CMD, str(apks[0]), "--format", "json"]))
    for name, cmd in steps:
        whole_process(cmd, 1, env, 120)  # warm the bytecode cache
        result = whole_process(cmd, repeat, env, 120)
        if "error" in result:
            print(f"  {name:<44} error: {result['error']}")
            continue
        print(f"  {name:<44}{result['cpu']:6.3f}  ({result['cpu'] - previous:+.3f})")
        previous = result["cpu"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench_apk")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "apks", help="real APKs folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and real APK (best is kept)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--real-only", action="store_true", help="only the real-APK whole-process mode")
    mode.add_argument("--generated-only", action="store_true", help="only the generated-APK in-process mode")
    mode.add_argument("--startup", action="store_true", help="only the CPU breakdown of one whole-process scan")
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--androguard-timeout", type=float, default=900)
    parser.add_argument("--skip-androguard-big", action="store_true", help="do not run AnalyzeAPK on the big APK")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if not shutil.which("dexdump") or not shutil.which("smali"):
        print("bench_apk: needs dexdump and smali (apt-get install dexdump libsmali-java)")
        return
    if args.startup:
        startup_mode(args.corpus, max(1, args.repeat))
        return
    if not args.generated_only:
        real_mode(args.corpus, max(1, args.repeat), args.androguard_timeout)
    if args.real_only:
        return
    print(f"building APKs (cache {CACHE}) …", flush=True)
    apks = [*fixture_apks(), big_apk(args.big_mb)]
    header = f"{'APK':<22}{'size MB':>8}{'DEX MB':>8}{'classes':>8}  {'candor s':>9}{'androguard s':>13}{'dexdump s':>10}  " \
             f"{'vs AG':>7}{'vs dexdump':>11}  {'cand. peak MB':>13}{'AG peak MB':>11}{'peak/DEX':>9}"  # fmt: skip
    print(header)
    for apk in apks:
        dex_mb = inflated_dex_bytes(apk) / 1e6
        candor = measure("candor", apk, 600) or {}
        skip_ag = args.skip_androguard_big and apk.name.startswith("big_")
        androguard = {"error": "skipped"} if skip_ag else (measure("androguard", apk, args.androguard_timeout) or {})
        dexdump = measure_dexdump(apk)
        c_s, a_s, d_s = candor.get("seconds"), androguard.get("seconds"), dexdump["seconds"]
        vs_ag = f"{a_s / c_s:6.1f}x" if c_s and a_s else "   n/a"
        vs_dd = f"{c_s / d_s:9.2f}x" if c_s and d_s else "      n/a"
        c_peak = candor.get("peak_growth", 0) / 1e6
        a_peak = androguard.get("peak_growth", 0) / 1e6 if a_s else float("nan")
        ratio = c_peak / dex_mb if dex_mb else float("nan")
        print(f"{apk.name[:21]:<22}{apk.stat().st_size / 1e6:8.1f}{dex_mb:8.1f}{candor.get('classes', 0):8d}  "
              f"{c_s or float('nan'):9.3f}{a_s or float('nan'):13.3f}{d_s:10.3f}  {vs_ag:>7}{vs_dd:>11}  "
              f"{c_peak:13.1f}{a_peak:11.1f}{ratio:9.2f}", flush=True)  # fmt: skip
        for name, result in (("candor", candor), ("androguard", androguard)):
            if "error" in result:
                print(f"    {name}: {result['error']}")
        if candor.get("classes") != dexdump["classes"]:
            print(f"    class counts differ: candor {candor.get('classes')} vs dexdump {dexdump['classes']}")
    print("goals: vs AG >= 20x faster; vs dexdump <= 3x; candor peak/DEX < 5")


if __name__ == "__main__":
    main(sys.argv[1:])

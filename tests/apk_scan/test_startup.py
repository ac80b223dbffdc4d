"""What `candor apk scan` loads: a warm run builds its records without pydantic, and its JSON still validates."""

import ast
import json
import subprocess
import sys
from pathlib import Path

from candor.model.static import StaticScan

_RUN_AND_LIST_MODULES = """
import sys
from candor.cli.main import run
try:
    run()
except SystemExit as exit:
    code = exit.code
print("\\n" + repr((code, sorted(m for m in sys.modules if m.split(".")[0] in ("pydantic", "pydantic_core", "androguard")))),
      file=sys.stderr)
"""


def _scan(apk: Path, out: Path, cache: Path) -> tuple[int, list[str]]:
    env = {"CANDOR_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", _RUN_AND_LIST_MODULES, "apk", "scan", str(apk), "--format", "json", "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    code, modules = ast.literal_eval(proc.stderr.strip().splitlines()[-1])
    return code, modules


def test_a_warm_scan_imports_neither_pydantic_nor_androguard(built: dict[str, Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, cold = _scan(built["sdk"], tmp_path / "cold.json", cache)
    assert code == 0 and "pydantic" in cold  # the first run compiles the catalog from YAML, validating it
    code, warm = _scan(built["sdk"], tmp_path / "warm.json", cache)
    assert code == 0 and warm == []
    cold_scan, warm_scan = (json.loads((tmp_path / f"{n}.json").read_text(encoding="utf-8")) for n in ("cold", "warm"))
    cold_scan.pop("duration_s"), warm_scan.pop("duration_s")
    assert warm_scan == cold_scan and warm_scan["sdks"]
    assert StaticScan.model_validate_json((tmp_path / "warm.json").read_bytes()).sdks  # the contract still holds

"""Run the real `candor` CLI in a subprocess, as a user would."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_candor(*args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`candor ARGS...` with the venv's interpreter; text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "candor.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 2, one line on stderr starting with 'candor: error:', no traceback."""
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("candor: error:"), result.stderr
    assert "Traceback" not in result.stderr

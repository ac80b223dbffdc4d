"""Shared fixtures: paths to ../shared material (skipped cleanly when absent)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _private_history_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """`candor report` / `candor apk batch` record into a history store: give every test its own, never the user's."""
    monkeypatch.setenv("CANDOR_STORE", str(tmp_path_factory.mktemp("history") / "history.sqlite"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    path = shared_dir / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds is not present")
    return path


def seed_path(shared_dir: Path, number: str) -> Path:
    """The seed policy whose file name starts with `number` (e.g. '003')."""
    matches = sorted((shared_dir / "seeds").glob(f"{number}_*"))
    if not matches:
        pytest.skip(f"seed {number} is not present")
    return matches[0]

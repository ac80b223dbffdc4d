"""Mutation fuzzing in process: damaged policies, captures and history stores give a result or one InputError line."""

import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candor.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
MUTATIONS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EDITS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=20)


def _mutate(seed: bytes, edits: list[tuple[float, int]], keep: float) -> bytes:
    data = bytearray(seed)
    for where, value in edits:
        data[int(where * len(data))] = value
    return bytes(data[: max(1, int(keep * len(data)))])


def _expect_result_or_one_line(call) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc)


@pytest.fixture(scope="module")
def docx_seed() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("隐私政策：我们收集您的个人信息，并接入第三方SDK。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["SDK名称", "使用目的", "收集信息", "友盟统计", "统计", "IMEI"],
                          strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@MUTATIONS
@given(EDITS, st.floats(0.05, 1))
def test_damaged_docx(tmp_path: Path, docx_seed: bytes, edits: list, keep: float) -> None:
    from declared import extract_policy

    path = tmp_path / "policy.docx"
    path.write_bytes(_mutate(docx_seed, edits, keep))
    _expect_result_or_one_line(lambda: extract_policy(path))


@MUTATIONS
@given(EDITS, st.floats(0.05, 1))
def test_damaged_markdown_policy(tmp_path: Path, edits: list, keep: float) -> None:
    from declared import extract_policy

    path = tmp_path / "policy.md"
    path.write_bytes(_mutate((DEMO / "policy.md").read_bytes(), edits, keep))
    _expect_result_or_one_line(lambda: extract_policy(path))


@MUTATIONS
@given(EDITS, st.floats(0.05, 1))
def test_damaged_har(tmp_path: Path, edits: list, keep: float) -> None:
    from addons.engine.analyze import analyze_file
    from addons.engine.device import load_device_profile

    path = tmp_path / "flows.har"
    path.write_bytes(_mutate((DEMO / "flows.har").read_bytes(), edits, keep))
    profile = load_device_profile(DEMO / "device.yaml")
    _expect_result_or_one_line(lambda: analyze_file(path, profile))


@pytest.fixture(scope="module")
def store_seed(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from candor.history.store import HistoryStore
    from tests.history.factories import bulky_record

    path = tmp_path_factory.mktemp("store") / "h.sqlite"
    with HistoryStore(path) as store:
        store.record(bulky_record("seed"))
    return path.read_bytes()


@MUTATIONS
@given(EDITS, st.floats(0.3, 1))
def test_damaged_history_store_is_read_without_change(tmp_path: Path, store_seed: bytes, edits: list, keep: float) -> None:
    from candor.history.changes import changes_between, releases
    from candor.history.store import HistoryStore, history_damage

    path = tmp_path / "h.sqlite"
    data = _mutate(store_seed, edits, keep)
    path.write_bytes(data)

    def read() -> None:
        with HistoryStore(path, read_only=True) as store, history_damage(path):
            for package in store.packages():
                releases(store, package["package"])
                changes_between(store, package["package"])

    _expect_result_or_one_line(read)
    assert path.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["h.sqlite"]


def test_damaged_apks(tmp_path: Path) -> None:
    if not shutil.which("smali") or not shutil.which("aapt"):
        pytest.skip("Android toolchain missing")
    import random

    from apk_scan import scan_apk
    from bench.hostile import _mutants, build_seed_apk

    seed = build_seed_apk(tmp_path)
    assert seed is not None
    for index, mutant in enumerate(_mutants(seed.read_bytes(), 12, random.Random(5))):
        path = tmp_path / f"m{index}.apk"
        path.write_bytes(mutant)
        _expect_result_or_one_line(lambda p=path: scan_apk(p))

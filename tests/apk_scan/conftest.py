"""Build the test APKs once per session with the real Android toolchain (cached under a tmp dir)."""

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from examples.apk_builder import build_apk, build_split_bundle
from tests.apk_scan import apps

TOOLS = ("smali", "aapt", "zipalign", "apksigner", "keytool", "zip")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> path of every fixture APK and hostile input."""
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.skip(f"Android toolchain missing: {', '.join(missing)}")
    root = tmp_path_factory.mktemp("apks")
    specs = {"sdk": apps.sdk_app(), "nested": apps.nested_app(), "packed": apps.packed_app(), "clean": apps.clean_app(),
             "split_base": apps.split_base(), "split_config": apps.split_config(), "corrupt_dex": apps.corrupt_dex_app()}  # fmt: skip
    with ThreadPoolExecutor(4) as pool:
        futures = {name: pool.submit(build_apk, spec, root / f"{name}.apk") for name, spec in specs.items()}
        paths = {name: future.result() for name, future in futures.items()}
    paths["bundle"] = build_split_bundle(paths["split_base"], {"split_config.arm64_v8a.apk": paths["split_config"]}, root / "split.apks")
    data = paths["sdk"].read_bytes()
    (root / "truncated.apk").write_bytes(data[: len(data) // 2])
    paths["truncated"] = root / "truncated.apk"
    paths["bogus_cd"] = apps.write_bogus_directory(paths["sdk"], root / "bogus_cd.apk")
    paths["bomb"] = apps.write_zip_bomb(paths["clean"], root / "bomb.apk")
    paths["big"] = apps.write_big_asset(paths["clean"], root / "big.apk")
    (root / "notes.apk").write_text("this is not an APK\n")
    paths["not_apk"] = root / "notes.apk"
    (root / "empty.apk").write_bytes(b"")
    paths["empty"] = root / "empty.apk"
    return paths


@pytest.fixture(scope="session")
def scans(built: dict[str, Path]) -> dict:
    """StaticScan of each good fixture (scanned once)."""
    from apk_scan import scan_apk

    return {name: scan_apk(built[name]) for name in ("sdk", "nested", "packed", "clean", "bundle")}

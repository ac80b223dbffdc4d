"""Nested DEX, packers and split bundles."""

import io
import os
import shutil
import tracemalloc
import zipfile
from pathlib import Path


def test_nested_apk_is_scanned(scans: dict) -> None:
    scan = scans["nested"]
    dex = {d.path: d for d in scan.dex_files}
    assert dex["assets/plugin.apk!classes.dex"].nested and dex["assets/plugin.apk!classes.dex"].container == "assets/plugin.apk"
    assert dex["assets/plugin.apk!classes.dex"].classes == 6
    assert dex["assets/extra.jar!classes.dex"].nested and not dex["classes.dex"].nested
    assert dex["instant-run.zip!slice_0-classes.dex"].nested and dex["instant-run.zip!slice_0-classes.dex"].container == "instant-run.zip"
    mac = next(c for c in scan.call_sites if c.identifier == "mac")
    assert (mac.caller_class, mac.name, mac.dex) == ("com.example.nested.Slice", "app", "instant-run.zip!slice_0-classes.dex")
    analytics = next(s for s in scan.sdks if s.sdk_id == "umeng_analytics")
    assert [(e.kind, e.count, e.location) for e in analytics.evidence] == [("class_prefix", 6, "assets/plugin.apk!classes.dex")]
    site = next(c for c in scan.call_sites if c.identifier == "imei")
    expected = ("com.umeng.analytics.MobclickAgent", "umeng_analytics", "assets/plugin.apk!classes.dex")
    assert (site.caller_class, site.sdk_id, site.dex) == expected


def test_nested_archive_is_not_held_in_memory(built: dict, tmp_path: Path) -> None:
    """A nested jar with a large payload beside its DEX: the scan finds the DEX while its memory stays far below
    the jar's size (the jar is inflated to a temporary file, not read into memory)."""
    with zipfile.ZipFile(built["nested"]) as outer, zipfile.ZipFile(io.BytesIO(outer.read("assets/plugin.apk"))) as plugin:
        dex = plugin.read("classes.dex")
    jar = io.BytesIO()
    with zipfile.ZipFile(jar, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("classes.dex", dex)
        zf.writestr("blob.bin", os.urandom(32 << 20))
    apk = tmp_path / "big_nested.apk"
    shutil.copyfile(built["nested"], apk)
    with zipfile.ZipFile(apk, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("assets/big.jar", jar.getvalue())
    del jar
    from apk_scan import scan_apk

    scan_apk(built["clean"])  # catalog and lazy imports loaded before measuring
    tracemalloc.start()
    try:
        scan = scan_apk(apk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "assets/big.jar!classes.dex" in {d.path for d in scan.dex_files}
    assert peak < 16 << 20, f"peak {peak >> 20} MB while scanning a 32 MB nested jar"


def test_packer_marks_scan_incomplete(scans: dict) -> None:
    scan = scans["packed"]
    assert scan.packers == ["360 Jiagu"]
    assert scan.incomplete and "360 Jiagu" in scan.incomplete_reasons[0]
    assert scans["sdk"].packers == [] and not scans["sdk"].incomplete


def test_split_bundle_merged(scans: dict) -> None:
    scan = scans["bundle"]
    assert scan.package == "com.example.split"
    assert scan.splits == ["split_config.arm64_v8a.apk"]
    assert {d.path for d in scan.dex_files} == {"base.apk!classes.dex", "split_config.arm64_v8a.apk!classes.dex"}
    bugly = next(s for s in scan.sdks if s.sdk_id == "tencent_bugly")
    kinds = {(e.kind, e.location) for e in bugly.evidence}
    assert ("native_lib", "split_config.arm64_v8a.apk!lib/arm64-v8a") in kinds
    assert ("class_prefix", "split_config.arm64_v8a.apk!classes.dex") in kinds
    assert [(c.identifier, c.name) for c in scan.call_sites] == [("imei", "app")]

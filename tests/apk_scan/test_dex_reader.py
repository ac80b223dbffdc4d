"""The DEX reader on real smali-assembled DEX files (no hand-made bytes)."""

import pytest

from apk_scan.dex.leb128 import read_uleb128
from apk_scan.dex.mutf8 import decode_mutf8
from apk_scan.dex.reader import DexError, DexFile
from apk_scan.dex.xrefs import find_refs
from examples.apk_builder import Call, assemble_dex, smali_class


@pytest.fixture(scope="module")
def dex() -> DexFile:
    sources = [smali_class("com.a.B", calls=[Call("Ljava/net/NetworkInterface;->getHardwareAddress()[B")], strings=["héllo 😀"]),
               smali_class("com.a.C$Inner", extra_methods=3)]  # fmt: skip
    return DexFile(assemble_dex(sources), "t.dex")


def test_tables(dex: DexFile) -> None:
    assert sorted(dex.class_descriptors) == ["Lcom/a/B;", "Lcom/a/C$Inner;"]
    assert dex.find_type("Ljava/net/NetworkInterface;") is not None
    assert dex.find_type("Lcom/missing/X;") is None
    assert dex.string(dex.find_string("getHardwareAddress")) == "getHardwareAddress"
    assert "héllo 😀" in {dex.string(i) for i in range(dex.strings.size)}


def test_find_refs_confirms_the_invoke(dex: DexFile) -> None:
    type_idx = dex.find_type("Ljava/net/NetworkInterface;")
    target = dex.find_members("methods", type_idx, dex.find_string("getHardwareAddress")).tolist()
    refs = find_refs(dex, set(target), set())
    assert [dex.method_name(r.method_idx) for r in refs] == [("Lcom/a/B;", "run")]


def test_corrupt_header_rejected(dex: DexFile) -> None:
    with pytest.raises(DexError, match="magic"):
        DexFile(b"dey\n035\x00" + dex.data[8:])
    truncated = dex.data[:200]
    with pytest.raises(DexError):
        DexFile(truncated)


def test_leb128_and_mutf8() -> None:
    assert read_uleb128(bytes([0xE5, 0x8E, 0x26]), 0) == (624485, 3)
    assert read_uleb128(bytes([0x7F]), 0) == (127, 1)
    assert decode_mutf8(b"a\xc0\x80b") == "a\x00b"
    assert decode_mutf8(b"\xed\xa0\xbd\xed\xb8\x80") == "😀"  # a surrogate pair, as DEX stores it


SWITCH_THEN_CALL = """.class public Lcom/a/Switch;
.super Ljava/lang/Object;

.method public static pick(I)V
    .registers 4
    packed-switch p0, :table
    :done
    invoke-virtual {v0}, Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;
    return-void
    :table
    .packed-switch 0x1
        :done
        :done
    .end packed-switch
.end method

.method public static fill()V
    .registers 4
    const/4 v0, 4
    new-array v0, v0, [I
    fill-array-data v0, :data
    invoke-virtual {v1}, Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;
    return-void
    :data
    .array-data 4
        0x6e 0x1 0x2 0x3
    .end array-data
.end method
"""


def test_payloads_are_skipped_and_fast_index_matches_slow() -> None:
    from apk_scan.callsites import find_call_sites
    from apk_scan.dex.classdata import method_code_index_fast
    from apk_scan.dex.code import method_code_index_slow
    from apk_scan.owners import Owners
    from candor.catalog.session import current_catalog

    dex = DexFile(assemble_dex([SWITCH_THEN_CALL, smali_class("com.a.D", extra_methods=5)]), "p.dex")
    fast, slow = method_code_index_fast(dex), method_code_index_slow(dex)
    assert fast is not None and fast[0].tolist() == slow[0].tolist() and fast[1].tolist() == slow[1].tolist()
    catalog = current_catalog()
    sites = {(c.caller_method, c.identifier) for c in find_call_sites(dex, catalog.identifier_api_entries, Owners(catalog), "p.dex")}
    assert sites == {("pick", "imei"), ("fill", "mac")}

"""The small binary readers (manifest XML, resources.arsc) agree with androguard on real toolchain output,
and reject garbage in one clear way."""

import dataclasses
import zipfile

import pytest

from apk_scan import manifest as manifest_module
from apk_scan.arsc import ArscTable
from apk_scan.axml import AxmlError, parse_axml
from apk_scan.endpoints import url_hosts
from apk_scan.resources import ResourceTable
from candor.catalog.session import current_catalog


def _androguard_manifest(raw: bytes, monkeypatch: pytest.MonkeyPatch):
    def refuse(_raw: bytes):
        raise AxmlError("use androguard")

    with monkeypatch.context() as patch:
        patch.setattr(manifest_module, "parse_axml", refuse)
        return manifest_module.parse_manifest(raw, current_catalog(), "AndroidManifest.xml")


@pytest.mark.parametrize("name", ["sdk", "nested", "packed", "clean"])
def test_manifest_reader_matches_androguard(built, name, monkeypatch):
    raw = zipfile.ZipFile(built[name]).read("AndroidManifest.xml")
    ours = manifest_module.parse_manifest(raw, current_catalog(), "AndroidManifest.xml")
    assert dataclasses.asdict(ours) == dataclasses.asdict(_androguard_manifest(raw, monkeypatch))


def test_resource_references_resolve_like_androguard(built, scans):
    raw = zipfile.ZipFile(built["sdk"]).read("resources.arsc")
    info = manifest_module.parse_manifest(zipfile.ZipFile(built["sdk"]).read("AndroidManifest.xml"), current_catalog(), "m")
    ref = ResourceTable.reference(info.network_security_config)
    assert ref is not None and ArscTable(raw).name(ref) == "@xml/network_security_config"
    assert scans["sdk"].network_security_config == "@xml/network_security_config"


def test_garbage_is_not_binary_xml():
    for data in (b"", b"<manifest/>", b"\x03\x00\x08\x00\xff\xff\xff\xff", bytes(range(256))):
        with pytest.raises(AxmlError):
            parse_axml(data)
    assert ArscTable(b"garbage").string(0x7F010000) is None


def test_url_hosts_need_a_scheme_right_before_the_separator():
    data = b"\x00https://a.example.com/x\x00wss://b.example.org\x00ftp://c.example.net\x00://d.example.io\x00http://e\x00"
    assert [host for _, host in url_hosts(data)] == [b"a.example.com", b"b.example.org"]

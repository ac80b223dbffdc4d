"""Packer verdicts need the packer's stub and its payload; the rules themselves are well-formed."""

import pytest

from apk_scan.packers import RULES, detect_packers

LIBS = {rule.name: f"lib/arm64-v8a/{rule.libs[0].replace('*', 'x')}" for rule in RULES if rule.libs}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_every_signature_list_is_a_tuple_of_names(rule) -> None:
    for signatures in (rule.libs, rule.classes, rule.files):
        assert isinstance(signatures, tuple) and all(isinstance(s, str) and len(s) > 2 for s in signatures)


@pytest.mark.parametrize("name", ["Alibaba", "Naga", "360 Jiagu"])
def test_a_library_and_one_letter_obfuscated_classes_are_no_packer(name: str) -> None:
    classes = {"a", "c", "o", "m", "com.example.app.MainActivity"}
    packages = {"", "com.example.app"}
    assert detect_packers([LIBS[name], "classes.dex"], classes, packages, "com.example.app.App") == []


def test_stub_package_and_payload_make_a_packer() -> None:
    found = detect_packers(["lib/armeabi-v7a/libmobisec.so", "classes.dex"], {"com.ali.mobisecenginesdk.Loader"},
                           {"com.ali.mobisecenginesdk"}, None)  # fmt: skip
    assert [name for name, _ in found] == ["Alibaba"]


def test_a_stub_without_its_payload_is_no_packer() -> None:
    assert detect_packers(["classes.dex"], {"com.stub.StubApp"}, {"com.stub"}, "com.stub.StubApp") == []

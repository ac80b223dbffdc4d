"""Check a DeclaredTable against an expectation written as data (tests/declared/expected/*.yaml)."""

from pathlib import Path
from typing import Any

import yaml

from candor.model.declared import DeclaredSdk, DeclaredTable
from declared.textnorm import fold

EXPECTED = Path(__file__).parent / "expected"


def load_expected(name: str) -> dict[str, Any]:
    return yaml.safe_load((EXPECTED / name).read_text(encoding="utf-8"))


def check(table: DeclaredTable, expected: dict[str, Any]) -> None:
    """Assert every expectation; the message names what differs."""
    ids = [s.sdk_id for s in table.sdks]
    if "sdk_count" in expected:
        assert len(table.sdks) == expected["sdk_count"], [(s.name, s.sdk_id) for s in table.sdks]
    if "sdk_min" in expected:
        assert len(table.sdks) >= expected["sdk_min"], [(s.name, s.sdk_id) for s in table.sdks]
    for kind, wanted in expected.get("sdks_by_kind", {}).items():
        assert sorted(s.sdk_id or s.name for s in table.sdks if s.kind == kind) == sorted(wanted), kind
    missing = set(expected.get("sdks_include", [])) - set(ids)
    assert not missing, f"SDKs not found: {missing}"
    for facts in expected.get("sdks", []):
        _check_sdk(_find_sdk(table, facts), facts)
    if "permission_count" in expected:
        assert len(table.permissions) == expected["permission_count"], [(p.phrase, p.permission) for p in table.permissions]
    declared = {p.permission for p in table.permissions}
    assert set(expected.get("permissions_include", [])) <= declared, declared
    for permission, phrase in expected.get("permission_phrases", {}).items():
        assert any(p.permission == permission and p.phrase == phrase for p in table.permissions), permission
    for phrase, permissions in expected.get("table_permissions", {}).items():
        mapped = {p.permission for p in table.permissions if p.phrase == phrase}
        assert set(permissions) <= mapped, f"{phrase}: {mapped}"
        assert any(p.purpose for p in table.permissions if p.phrase == phrase), f"{phrase} has no purpose"
    if "table_permission_rows" in expected:
        phrases = {p.phrase for p in table.permissions if p.purpose}
        assert len(phrases) == expected["table_permission_rows"], sorted(phrases)
    identifiers = {i.identifier for i in table.identifiers}
    assert set(expected.get("identifiers_include", [])) <= identifiers, identifiers
    assert not set(expected.get("identifiers_exclude", [])) & identifiers, identifiers
    for category, phrase in expected.get("personal_data", {}).items():
        assert any(d.category == category and fold(d.phrase) == fold(phrase) for d in table.personal_data), (category, phrase)
    if "links" in expected:
        assert [link.name for link in table.links] == expected["links"]
    if "link_count" in expected:
        assert len(table.links) == expected["link_count"], table.links


def _find_sdk(table: DeclaredTable, facts: dict[str, Any]) -> DeclaredSdk:
    for sdk in table.sdks:
        if "id" in facts and sdk.sdk_id != facts["id"]:
            continue
        if "name" in facts and facts.get("id", "") is None and sdk.name != facts["name"]:
            continue
        if facts.get("kind") and sdk.kind != facts["kind"]:
            continue
        return sdk
    raise AssertionError(f"no SDK matching {facts}: {[(s.name, s.sdk_id, s.kind) for s in table.sdks]}")


def _check_sdk(sdk: DeclaredSdk, facts: dict[str, Any]) -> None:
    label = facts.get("id") or facts.get("name")
    for attribute in ("name", "kind", "company", "purpose", "deidentified", "privacy_url"):
        if attribute in facts:
            assert getattr(sdk, attribute) == facts[attribute], (label, attribute, getattr(sdk, attribute))
    if "purpose_contains" in facts:
        assert facts["purpose_contains"] in (sdk.purpose or ""), (label, sdk.purpose)
    if "line" in facts:
        assert sdk.source.line == facts["line"], (label, sdk.source)
    assert set(facts.get("identifiers_include", [])) <= set(sdk.identifiers), (label, sdk.identifiers)
    assert set(facts.get("permissions_include", [])) <= set(sdk.permissions), (label, sdk.permissions)
    if facts.get("id", "") is None:
        assert "unknown_sdk" in sdk.flags
    assert sdk.source.text and sdk.source.line, label

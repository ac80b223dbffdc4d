"""SDKs started by their own ContentProvider: which count, and which the manifest switches off."""

import pytest

from apk_scan.provider_inits import provider_inits
from candor.catalog.session import current_catalog
from candor.model.static import ManifestComponent, MetaDataEntry

FIREBASE = "com.google.firebase.provider.FirebaseInitProvider"


def _inits(meta: dict[str, str], defined: bool = True, embedded: frozenset[str] = frozenset({"firebase_messaging", "firebase_analytics"})):
    components = [ManifestComponent(kind="provider", name=FIREBASE), ManifestComponent(kind="service", name="com.example.Sync")]
    meta_data = [MetaDataEntry(name=k, value=v) for k, v in meta.items()]
    return provider_inits(current_catalog(), components, meta_data, {FIREBASE} if defined else set(), set(embedded))


def test_one_provider_starts_each_embedded_sdk_it_belongs_to() -> None:
    assert [(i.sdk_id, i.at_launch, i.gated_by) for i in _inits({})] == [
        ("firebase_analytics", "provider", None), ("firebase_messaging", "provider", None)]


@pytest.mark.parametrize("value", ["false", "FALSE", " false "])
def test_each_sdk_has_its_own_switch(value: str) -> None:
    inits = {i.sdk_id: i for i in _inits({"firebase_messaging_auto_init_enabled": value})}
    assert inits["firebase_messaging"].at_launch is None
    assert inits["firebase_messaging"].gated_by == "meta-data firebase_messaging_auto_init_enabled=false"
    assert inits["firebase_analytics"].at_launch == "provider"


def test_a_switch_left_on_is_no_gate_and_an_unresolved_resource_value_is() -> None:
    assert all(i.at_launch == "provider" for i in _inits({"firebase_analytics_collection_enabled": "true"}))
    inits = {i.sdk_id: i for i in _inits({"firebase_analytics_collection_deactivated": "@7F050001"})}
    assert inits["firebase_analytics"].at_launch is None and "not resolved" in inits["firebase_analytics"].gated_by


def test_an_undefined_provider_or_an_sdk_that_is_not_embedded_starts_nothing() -> None:
    assert _inits({}, defined=False) == []
    assert _inits({}, embedded=frozenset({"firebase"})) == []

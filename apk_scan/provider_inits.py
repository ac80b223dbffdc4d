"""SDKs that start themselves through a manifest ContentProvider (FirebaseInitProvider, FacebookInitProvider).

Android creates every provider of the app when its process starts, before `Application.onCreate`, so such an SDK
runs at launch without one line of the app's code. It counts when the provider is declared in the manifest, its
class is defined in the app's DEX files and the SDK is embedded; the catalog's `auto_init_off` meta-data settings
(e.g. `com.facebook.sdk.AutoInitEnabled=false`) keep it from starting on its own, which gates the init. A switch
whose value is a resource reference Candor cannot resolve is taken as set: the app configured it on purpose.
"""

from collections.abc import Iterable

from candor.catalog.catalog import Catalog
from candor.model.static import ManifestComponent, MetaDataEntry, SdkInit


def provider_inits(catalog: Catalog, components: Iterable[ManifestComponent], meta_data: Iterable[MetaDataEntry],
                   defined: set[str], embedded: set[str]) -> list[SdkInit]:  # fmt: skip
    """One init per (embedded SDK, declared provider that starts it); gated when the app turned the SDK's start off."""
    settings = {entry.name: (entry.value or "") for entry in meta_data}
    providers = [c.name for c in components if c.kind == "provider" and c.name in defined]
    inits = []
    for sdk_id in sorted(embedded):
        sdk = catalog.sdks.get(sdk_id)
        if sdk is None or not sdk.init_providers:
            continue
        for provider in providers:
            if provider in sdk.init_providers:
                switch = _switched_off(sdk.auto_init_off, settings)
                inits.append(SdkInit(sdk_id=sdk_id, api=f"{provider}.onCreate", caller_class=provider, caller_method="onCreate",
                                     at_launch=None if switch else "provider", gated_by=switch, owner=f"sdk:{sdk_id}"))  # fmt: skip
    return inits


def _switched_off(switches: list[str], settings: dict[str, str]) -> str | None:
    """The first `name=value` switch the manifest sets (an unresolved resource value counts as set), as gated_by."""
    for switch in switches:
        name, value = switch.split("=", 1)
        actual = settings.get(name)
        if actual is None:
            continue
        if actual.strip().lower() == value.lower():
            return f"meta-data {switch}"
        if actual.startswith("@"):
            return f"meta-data {name}={actual} (resource value not resolved)"
    return None

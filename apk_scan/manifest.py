"""The binary AndroidManifest.xml, decoded by apk_scan.axml (androguard's AXML parser as the fallback)."""

from dataclasses import dataclass, field

from apk_scan.androguard_logs import quiet_androguard
from apk_scan.axml import AxmlError, parse_axml
from candor.catalog.catalog import Catalog
from candor.errors import InputError
from candor.model.static import ManifestComponent, ManifestPermission, MetaDataEntry

NS = "{http://schemas.android.com/apk/res/android}"
COMPONENT_KINDS = ("activity", "activity-alias", "service", "receiver", "provider")
PERMISSION_TAGS = ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m")
LEVELS = {0: "normal", 1: "dangerous", 2: "signature", 3: "signature"}


@dataclass
class ManifestInfo:
    """Everything the scanner reads from the manifest."""

    package: str | None = None
    version_name: str | None = None
    version_code: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    label: str | None = None
    split: str | None = None
    permissions: list[ManifestPermission] = field(default_factory=list)
    components: list[ManifestComponent] = field(default_factory=list)
    meta_data: list[MetaDataEntry] = field(default_factory=list)
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    application_class: str | None = None
    launcher_activity: str | None = None


def _is_launcher(element) -> bool:
    """An activity (or alias) the home screen starts: action MAIN with category LAUNCHER."""
    for intent_filter in element.findall("intent-filter"):
        actions = {a.get(NS + "name") for a in intent_filter.findall("action")}
        categories = {c.get(NS + "name") for c in intent_filter.findall("category")}
        if "android.intent.action.MAIN" in actions and "android.intent.category.LAUNCHER" in categories:
            return True
    return False


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value, 0) if value.lower().startswith("0x") else int(value)
    except ValueError:
        return None


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in ("true", "1", "0xffffffff", "-1"):
        return True
    if lowered in ("false", "0", "0x0"):
        return False
    return None


def full_class_name(package: str | None, name: str) -> str:
    """Manifest class names may be relative (`.Main`, `Main`)."""
    if name.startswith(".") and package:
        return package + name
    if "." not in name and package:
        return f"{package}.{name}"
    return name


def _level(value: str | None) -> str:
    number = _int(value)
    if number is not None:
        return LEVELS.get(number & 0xF, "signature")
    return (value or "normal").split("|")[0]


def parse_manifest(raw: bytes, catalog: Catalog, label: str) -> ManifestInfo:
    """Decode the binary manifest; an unreadable one is an InputError."""
    try:
        root = parse_axml(raw)
    except AxmlError:
        root = _androguard_root(raw)
    if root is None or root.tag != "manifest":
        raise InputError(f"{label}: AndroidManifest.xml is not a valid binary manifest")
    info = ManifestInfo(
        package=root.get("package"),
        version_name=root.get(NS + "versionName"),
        version_code=root.get(NS + "versionCode"),
        split=root.get("split"),
    )
    sdk = root.find("uses-sdk")
    if sdk is not None:
        info.min_sdk = _int(sdk.get(NS + "minSdkVersion"))
        info.target_sdk = _int(sdk.get(NS + "targetSdkVersion")) or info.min_sdk
    declared = {e.get(NS + "name"): _level(e.get(NS + "protectionLevel")) for e in root.findall("permission")}
    seen: set[str] = set()
    for tag in PERMISSION_TAGS:
        for element in root.findall(tag):
            name = element.get(NS + "name")
            if not name or name in seen:
                continue
            seen.add(name)
            known = catalog.permission(name) is not None
            level = catalog.protection_level(name) if known else declared.get(name, "unknown")
            info.permissions.append(ManifestPermission(name=name, protection_level=level, custom=not known,
                                                       max_sdk_version=_int(element.get(NS + "maxSdkVersion"))))  # fmt: skip
    app = root.find("application")
    if app is not None:
        _read_application(app, info, catalog)
    return info


def _androguard_root(raw: bytes):
    """androguard's more forgiving parser, for manifests our reader rejects."""
    with quiet_androguard():
        from androguard.core.axml import AXMLPrinter

        try:
            printer = AXMLPrinter(raw)
            return printer.get_xml_obj() if printer.is_valid() else None
        except Exception:  # androguard raises many kinds on garbage
            return None


def _read_application(app, info: ManifestInfo, catalog: Catalog) -> None:
    info.label = app.get(NS + "label")
    info.uses_cleartext_traffic = _bool(app.get(NS + "usesCleartextTraffic"))
    info.network_security_config = app.get(NS + "networkSecurityConfig")
    if app.get(NS + "name"):
        info.application_class = full_class_name(info.package, app.get(NS + "name"))
    for element in app.findall("meta-data"):
        name = element.get(NS + "name")
        if not name:
            continue
        value = element.get(NS + "value")
        if value is None:
            value = element.get(NS + "resource")
        sdk = catalog.sdk_for_meta_key(name)
        info.meta_data.append(MetaDataEntry(name=name, value=value, sdk_id=sdk.id if sdk else None))
    for element in app:
        kind = element.tag
        if kind not in COMPONENT_KINDS or not element.get(NS + "name"):
            continue
        name = full_class_name(info.package, element.get(NS + "name"))
        exported = _bool(element.get(NS + "exported"))
        if exported is None:  # the platform default before Android 12 required an explicit value
            exported = (info.target_sdk or 0) < 17 if kind == "provider" else element.find("intent-filter") is not None
        if info.launcher_activity is None and kind in ("activity", "activity-alias") and _is_launcher(element):
            target = element.get(NS + "targetActivity") if kind == "activity-alias" else None
            info.launcher_activity = full_class_name(info.package, target) if target else name
        sdk = catalog.sdk_for_component(name)
        info.components.append(ManifestComponent(kind=kind, name=name, exported=exported, sdk_id=sdk.id if sdk else None))

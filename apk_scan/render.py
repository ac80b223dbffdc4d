"""Human-readable rendering of a StaticScan (secret-looking meta-data values masked)."""

import re

from candor.masking import mask_value
from candor.model.static import StaticScan

SECRET_KEY = re.compile(r"key|secret|token|passw|pwd|app_?id|sign|credential|auth", re.IGNORECASE)


def mask(name: str, value: str | None) -> str | None:
    """Mask the value of a secret-looking key (candor.masking); values of other keys and short values stay as they are."""
    if value is None or not SECRET_KEY.search(name) or len(value) < 6:
        return value
    return mask_value(value)


def render_scan(scan: StaticScan) -> str:
    """Text report of one scan."""
    out = [f"{scan.file}  sha256 {scan.sha256[:16]}…  {scan.size:,} bytes  ({scan.duration_s}s)"]
    out.append(f"package {scan.package}  {scan.app_name or ''}  version {scan.version_name} ({scan.version_code})  "
               f"minSdk {scan.min_sdk} targetSdk {scan.target_sdk}")  # fmt: skip
    if scan.splits:
        out.append("splits: " + ", ".join(scan.splits))
    if scan.incomplete:
        out.append("INCOMPLETE: " + "; ".join(scan.incomplete_reasons))
    if scan.packers:
        out.append("packers: " + ", ".join(scan.packers))
    out.append(f"cleartext traffic: {scan.uses_cleartext_traffic}  network security config: {scan.network_security_config}")
    out.append(f"\nPermissions ({len(scan.permissions)}):")
    for perm in scan.permissions:
        extra = " custom" if perm.custom else ""
        extra += f" maxSdk={perm.max_sdk_version}" if perm.max_sdk_version else ""
        out.append(f"  {perm.protection_level:<10} {perm.name}{extra}")
    out.append(f"\nComponents ({len(scan.components)}):")
    for comp in scan.components:
        owner = f"  [{comp.sdk_id}]" if comp.sdk_id else ""
        out.append(f"  {comp.kind:<14} {'exported' if comp.exported else 'private ':<8} {comp.name}{owner}")
    out.append(f"\nMeta-data ({len(scan.meta_data)}):")
    for entry in scan.meta_data:
        out.append(f"  {entry.name} = {mask(entry.name, entry.value)}{f'  [{entry.sdk_id}]' if entry.sdk_id else ''}")
    out.append(f"\nDEX files ({len(scan.dex_files)}):")
    for dex in scan.dex_files:
        out.append(f"  {dex.path}  {dex.classes} classes  {dex.size:,} bytes{'  (nested)' if dex.nested else ''}")
    _sdks(out, scan)
    _call_sites(out, scan)
    _launch(out, scan)
    _endpoints(out, scan)
    for warning in scan.warnings:
        out.append(f"warning: {warning}")
    return "\n".join(out) + "\n"


def _sdks(out: list[str], scan: StaticScan) -> None:
    """SDKs by presence tier (only embedded ones are the app's), then utility libraries and unknown third-party code."""
    embedded = [s for s in scan.sdks if s.presence == "embedded"]
    others = [s for s in scan.sdks if s.presence != "embedded"]
    for title, group in ((f"SDKs embedded ({len(embedded)})", embedded),
                         (f"Not the app's SDKs: only referenced or bundled in another library ({len(others)})", others)):  # fmt: skip
        out.append(f"\n{title}:")
        for sdk in group:
            product = f"  product {sdk.product_name}" if sdk.product_id and sdk.product_id != sdk.sdk_id and sdk.product_name else ""
            tier = "" if sdk.presence == "embedded" else f" {sdk.presence}"
            out.append(f"  {sdk.name} [{sdk.sdk_id}]{tier} {sdk.category or ''} confidence {sdk.confidence:.2f}{product}")
            for ev in sdk.evidence:
                count = f" ×{ev.count}" if ev.count > 1 else ""
                out.append(f"      {ev.kind}: {ev.value}{count}" + (f" ({ev.location})" if ev.location else ""))
    if scan.libraries:
        out.append(f"\nLibraries ({len(scan.libraries)}): " + ", ".join(f"{lib.name} ({lib.classes} classes)" for lib in scan.libraries))
    if scan.unknown_third_party:
        out.append(f"\nUnknown third-party code reading identifiers ({len(scan.unknown_third_party)}):")
        for item in scan.unknown_third_party:
            out.append(f"  {item.prefix}.*  {item.classes} classes  reads {', '.join(item.identifiers)}")


def _call_sites(out: list[str], scan: StaticScan) -> None:
    """Collection call sites with their owner; reads the catalog says are not collection are only counted."""
    collected = [s for s in scan.call_sites if s.collection]
    out.append(f"\nIdentifier call sites ({len(collected)}):")
    for site in collected:
        via = f" ({site.owner_via})" if site.owner_via else ""
        out.append(f"  {site.identifier:<16} {site.owner + via:<32} {site.caller_class}.{site.caller_method} -> {site.api}  ({site.dex})")
    skipped = len(scan.call_sites) - len(collected)
    if skipped:
        out.append(f"  + {skipped} reads that are not collection (e.g. SDK_INT checks, one-intent queries); listed in --format json")


WHERE = {"application": "Application.onCreate", "launcher_activity": "launcher activity", "provider": "own ContentProvider"}
MAX_ENDPOINTS_SHOWN = 15


def _launch(out: list[str], scan: StaticScan) -> None:
    """What starts with the app: SDK inits at launch (and gated ones), permission requests, the consent UI."""
    launch = scan.launch
    consent = {True: "found", False: "none found", None: "unknown"}[launch.consent_ui]
    out.append(f"\nAt launch (application {launch.application_class or '-'}, launcher {launch.launcher_activity or '-'}; "
               f"privacy-consent UI: {consent}):")  # fmt: skip
    for init in launch.sdk_inits:
        if init.at_launch:
            where = WHERE.get(init.at_launch, init.at_launch)
            caller = f"{init.caller_class}.{init.caller_method}"
            call = init.api if init.api == caller else f"{caller} -> {init.api}"  # an SDK's own start-up code
            out.append(f"  {init.kind:<8} {init.sdk_id:<22} {where:<22} {call}")
        elif init.gated_by:
            out.append(f"  {init.kind:<8} {init.sdk_id:<22} {'gated':<22} {init.api}  (by {init.gated_by})")
    later = sum(1 for i in launch.sdk_inits if not i.at_launch and not i.gated_by)
    if later:
        out.append(f"  + {later} SDK init or consent calls not reached at launch; listed in --format json")
    for request in launch.permission_requests:
        if request.at_launch:
            names = ", ".join(p.rsplit(".", 1)[-1] for p in request.permissions) or "?"
            out.append(f"  permission request from {WHERE.get(request.at_launch, request.at_launch)}: {names}  "
                       f"({request.caller_class}.{request.caller_method})")  # fmt: skip
    if launch.quits_on_denial is not None:
        out.append(f"  quits when a permission is denied: {'yes' if launch.quits_on_denial else 'no'}")


def _endpoints(out: list[str], scan: StaticScan) -> None:
    """Hosts named in code, with the owner of the class that names them (the first few; all in JSON)."""
    out.append(f"\nHosts named in code ({len(scan.endpoints)}):")
    for endpoint in scan.endpoints[:MAX_ENDPOINTS_SHOWN]:
        sdk = f"  [{endpoint.sdk_id}]" if endpoint.sdk_id else ""
        out.append(f"  {endpoint.host:<36} {endpoint.owner:<32} {endpoint.caller_class or ''}{sdk}")
    if len(scan.endpoints) > MAX_ENDPOINTS_SHOWN:
        out.append(f"  + {len(scan.endpoints) - MAX_ENDPOINTS_SHOWN} more; listed in --format json")

"""SDKs in code or traffic but not declared; declared SDKs never seen. The unit is the product a policy names."""

from candor.model import Evidence, Finding
from candor.model.static import EmbeddedSdk
from reports.reconcile.common import (
    call_site_evidence,
    capped,
    flow_evidence,
    listing,
    make_finding,
    not_found_evidence,
    policy_absent,
    policy_evidence,
    sdk_presence_evidence,
    traffic_confidence,
)
from reports.reconcile.context import Context
from reports.reconcile.entities import display_name, sdk_key


def _components(ctx: Context, members: list[EmbeddedSdk]) -> list[Evidence]:
    """Each component of a product and the evidence that it is embedded."""
    limit = ctx.config.max_evidence
    result = []
    for sdk in members:
        classes = f", {sdk.classes} classes" if sdk.classes else ""
        result.append(Evidence(kind="code", summary=f"component {sdk.name} ({sdk.sdk_id or 'not in catalog'}{classes}), embedded"))
        result += sdk_presence_evidence(sdk, max(1, limit // max(1, len(members))))
    return result


def sdk_in_code_undeclared(ctx: Context) -> list[Finding]:
    """An SDK product embedded in the APK (its own code, role sdk) that no declared row, party or vendor covers.

    Products the traffic shows receiving data are reported once, by `sdk_in_traffic_undeclared`.
    """
    if not ctx.decl.present or not ctx.has_code:
        return []
    in_traffic = set(ctx.sdk_observations())
    sites = ctx.sdk_call_sites()
    limit = ctx.config.max_evidence
    findings = []
    for key, (product_id, label, members) in sorted(ctx.products().items()):
        if key in in_traffic or ctx.covering_product(key, product_id, label):
            continue
        reads = sorted({site.identifier for site in sites.get(key, [])})
        evidence = [policy_absent(f"the SDK {label} or its vendor", ctx.document), *_components(ctx, members)]
        evidence += capped([call_site_evidence(site) for site in sites.get(key, [])], limit)
        message = f"{label} is embedded in the APK ({len(members)} component(s)) but the policy does not declare it."
        if reads:
            message += f" Its code reads: {', '.join(reads)}."
        findings.append(
            make_finding(
                "sdk_in_code_undeclared",
                package=ctx.package,
                message=message,
                evidence=evidence,
                tier="code",
                variant="collects" if reads else None,
                facts={"identifiers": listing(reads)},
                sdk_key=key,
                sdk_id=product_id,
                sdk_name=label,
            )
        )
    return findings


def sdk_in_traffic_undeclared(ctx: Context) -> list[Finding]:
    """An SDK product receiving identifiers in traffic that no declared row, party or vendor covers."""
    if not ctx.decl.present or not ctx.has_traffic:
        return []
    products = ctx.products()
    sites = ctx.sdk_call_sites()
    limit = ctx.config.max_evidence
    findings = []
    for key, observations in sorted(ctx.sdk_observations().items()):
        first = observations[0]
        product_id, label, members = products.get(key, (first.sdk_id, display_name(first.sdk_id, first.name, ctx.catalog)[0], []))
        if ctx.covering_product(key, first.sdk_id, first.name):
            continue
        sent = sorted({obs.identifier for obs in observations})
        hosts = sorted({obs.host for obs in observations})
        evidence = [policy_absent(f"the SDK {label} or its vendor", ctx.document)]
        evidence += capped([flow_evidence(obs, ctx.config.show_values) for obs in observations], limit)
        evidence += _components(ctx, members) + capped([call_site_evidence(site) for site in sites.get(key, [])], limit)
        message = f"{label} receives {', '.join(sent)} ({len(observations)} transmissions to {listing(hosts, 4)})"
        message += " but the policy does not declare it."
        findings.append(
            make_finding(
                "sdk_in_traffic_undeclared",
                package=ctx.package,
                message=message,
                evidence=evidence,
                tier="traffic",
                confidence=traffic_confidence(observations),
                facts={"identifiers": listing(sent)},
                sdk_key=key,
                sdk_id=product_id,
                sdk_name=label,
            )
        )
    return findings


def sdk_declared_not_observed(ctx: Context) -> list[Finding]:
    """A declared SDK with no trace at all in the code (not even referenced) nor in the traffic (stale policy).

    Utility libraries a policy names are never reported: naming them is harmless whether they ship or not.
    """
    if not ctx.decl.present or not (ctx.has_code or ctx.has_traffic):
        return []
    libraries = list(ctx.bundle.scan.libraries) if ctx.bundle.scan else []
    traced = {i for sdk in [*ctx.all_sdks(), *libraries] for i in (sdk.sdk_id, sdk.product_id) if i}
    traced |= {o.sdk_id for o in ctx.observations if o.sdk_id}
    traced |= {s.sdk_id for s in ctx.call_sites() if s.sdk_id}
    traced |= {f for f in (ctx.decl.family(i) for i in list(traced)) if f}
    traced_names = {sdk_key(None, sdk.name) for sdk in ctx.all_sdks()}
    findings = []
    done: set[str] = set()
    for row in ctx.decl.rows:
        if row.key in done or row.sdk_id is None or row.row.kind not in ("table_row", "list_item"):
            continue  # a row the catalog cannot detect, a party or a passing mention is never "not found"
        entry = ctx.catalog.sdk(row.sdk_id)
        if entry is not None and getattr(entry, "role", "sdk") == "library":
            continue  # naming a utility library is harmless extra information, whether it ships or not
        done.add(row.key)
        family = ctx.decl.family(row.sdk_id)
        if row.sdk_id in traced or (family is not None and family in traced) or sdk_key(None, row.row.name) in traced_names:
            continue
        checked = " nor ".join(part for part, on in (("the code", ctx.has_code), ("the traffic", ctx.has_traffic)) if on)
        name, _ = display_name(row.sdk_id, row.row.name, ctx.catalog)
        evidence = [policy_evidence(row.row.name, row.row.source), not_found_evidence(checked)]
        findings.append(
            make_finding(
                "sdk_declared_not_observed",
                package=ctx.package,
                evidence=evidence,
                tier="code" if ctx.has_code else "traffic",
                facts={"checked": checked.replace(" nor ", " or ")},
                message=_not_found_message(row.row.name, ctx.has_code, ctx.has_traffic),
                sdk_key=row.key,
                sdk_id=row.sdk_id,
                sdk_name=name,
            )
        )
    return findings


def _not_found_message(name: str, has_code: bool, has_traffic: bool) -> str:
    if has_code and has_traffic:
        return f"The policy declares {name} but it was found neither in the code nor in the traffic."
    checked, missing = ("the code", "traffic") if has_code else ("the traffic", "code")
    return f"The policy declares {name} but it was not found in {checked} ({missing} evidence was not supplied)."

"""Kinds 1–3: SDKs in code or traffic but not declared; declared SDKs never seen."""

from candor.model import Finding
from reports.reconcile.common import (
    call_site_evidence,
    capped,
    flow_evidence,
    make_finding,
    not_found_evidence,
    policy_absent,
    policy_evidence,
    sdk_presence_evidence,
)
from reports.reconcile.context import Context
from reports.reconcile.entities import display_name, family_of, sdk_key


def sdk_in_code_undeclared(ctx: Context) -> list[Finding]:
    """Kind 1: an SDK embedded in the APK that no declared row covers."""
    if not ctx.decl.present or not ctx.has_code:
        return []
    findings = []
    sites = ctx.sdk_call_sites()
    limit = ctx.config.max_evidence
    for sdk in ctx.embedded_sdks():
        if ctx.decl.covering(sdk.sdk_id, sdk.name):
            continue
        key = sdk_key(sdk.sdk_id, sdk.name)
        name, _ = display_name(sdk.sdk_id, sdk.name)
        reads = sorted({site.identifier for site in sites.get(key, [])})
        evidence = [policy_absent(f"the SDK {name}", ctx.document), *sdk_presence_evidence(sdk, limit)]
        evidence += capped([call_site_evidence(site) for site in sites.get(key, [])], limit)
        message = f"{name} is embedded in the APK but the policy does not declare it."
        if reads:
            message += f" Its code reads: {', '.join(reads)}."
        findings.append(
            make_finding(
                "sdk_in_code_undeclared",
                package=ctx.package,
                message=message,
                evidence=evidence,
                sdk_key=key,
                sdk_id=sdk.sdk_id,
                sdk_name=name,
            )
        )
    return findings


def sdk_in_traffic_undeclared(ctx: Context) -> list[Finding]:
    """Kind 2: an SDK receiving identifiers in traffic that no declared row covers."""
    if not ctx.decl.present or not ctx.has_traffic:
        return []
    findings = []
    for key, observations in ctx.sdk_observations().items():
        first = observations[0]
        if ctx.decl.covering(first.sdk_id, first.name):
            continue
        name, _ = display_name(first.sdk_id, first.name)
        sent = sorted({obs.identifier for obs in observations})
        hosts = sorted({obs.host for obs in observations})
        evidence = [policy_absent(f"the SDK {name}", ctx.document)]
        evidence += capped([flow_evidence(obs, ctx.config.show_values) for obs in observations], ctx.config.max_evidence)
        message = f"{name} receives {', '.join(sent)} ({len(observations)} transmissions to {', '.join(hosts)})"
        message += " but the policy does not declare it."
        findings.append(
            make_finding(
                "sdk_in_traffic_undeclared",
                package=ctx.package,
                message=message,
                evidence=evidence,
                sdk_key=key,
                sdk_id=first.sdk_id,
                sdk_name=name,
            )
        )
    return findings


def sdk_declared_not_observed(ctx: Context) -> list[Finding]:
    """Kind 3: a declared SDK found neither in the code nor in the traffic (stale policy)."""
    if not ctx.decl.present or not (ctx.has_code or ctx.has_traffic):
        return []
    seen: set[str] = set()
    for sdk in ctx.embedded_sdks():
        seen.add(sdk_key(sdk.sdk_id, sdk.name))
    seen.update(ctx.sdk_call_sites())
    seen.update(ctx.sdk_observations())
    seen_families = {family_of(key) for key in seen} - {None}
    findings = []
    done: set[str] = set()
    for row in ctx.decl.rows:
        if row.key in done or row.sdk_id is None:  # a row the catalog cannot detect is never "not found"
            continue
        done.add(row.key)
        family = family_of(row.sdk_id)
        if row.key in seen or row.key in seen_families or (family is not None and family in seen):
            continue
        checked = " nor ".join(part for part, on in (("the code", ctx.has_code), ("the traffic", ctx.has_traffic)) if on)
        name, _ = display_name(row.sdk_id, row.row.name)
        evidence = [policy_evidence(row.row.name, row.row.source), not_found_evidence(checked)]
        findings.append(
            make_finding(
                "sdk_declared_not_observed",
                package=ctx.package,
                evidence=evidence,
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

"""Kinds 4–5: identifiers collected by a declared SDK, or by the app, that the policy does not list."""

from collections import defaultdict

from candor.model import CallSite, Evidence, Finding, TrafficObservation
from reports.reconcile.common import call_site_evidence, capped, flow_evidence, make_finding, policy_absent, policy_evidence
from reports.reconcile.context import Context, is_first_party_site
from reports.reconcile.entities import display_name


def _evidence(ctx: Context, sites: list[CallSite], flows: list[TrafficObservation]) -> list[Evidence]:
    limit = ctx.config.max_evidence
    return capped([call_site_evidence(s) for s in sites], limit) + capped([flow_evidence(o, ctx.config.show_values) for o in flows], limit)


def _how(identifier: str, sites: list[CallSite], flows: list[TrafficObservation]) -> str:
    """'reads imei in code (2 call sites) and sends it (5 transmissions)'."""
    parts = []
    if sites:
        parts.append(f"reads {identifier} in code ({len(sites)} call site{'s' if len(sites) != 1 else ''})")
    if flows:
        verb = "sends it" if sites else f"sends {identifier}"
        parts.append(f"{verb} ({len(flows)} transmission{'s' if len(flows) != 1 else ''})")
    return " and ".join(parts)


def sdk_identifier_undeclared(ctx: Context) -> list[Finding]:
    """Kind 4: a declared SDK reads or sends an identifier its covering rows do not list."""
    if not ctx.decl.present:
        return []
    by_sdk: dict[str, dict[str, tuple[list[CallSite], list[TrafficObservation]]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    names: dict[str, tuple[str | None, str]] = {}
    for key, sites in ctx.sdk_call_sites().items():
        for site in sites:
            by_sdk[key][site.identifier][0].append(site)
            names[key] = (site.sdk_id, site.name)
    for key, observations in ctx.sdk_observations().items():
        for obs in observations:
            by_sdk[key][obs.identifier][1].append(obs)
            names.setdefault(key, (obs.sdk_id, obs.name))
    findings = []
    for key, per_identifier in by_sdk.items():
        sdk_id, raw_name = names[key]
        rows = ctx.decl.covering(sdk_id, raw_name)
        if not rows:
            continue  # an undeclared SDK is reported by kinds 1-2, with what it collects
        declared = ctx.decl.identifiers_for(rows)
        name, _ = display_name(sdk_id, raw_name)
        for identifier, (sites, flows) in sorted(per_identifier.items()):
            if identifier in declared:
                continue
            listed = ", ".join(sorted({i for r in rows for i in r.row.identifiers})) or "no identifiers"
            evidence = [policy_evidence(r.row.name, r.row.source, f"lists {listed}") for r in rows]
            evidence += _evidence(ctx, sites, flows)
            message = f"{name} {_how(identifier, sites, flows)}, but its declaration lists {listed}."
            findings.append(
                make_finding(
                    "sdk_identifier_undeclared",
                    package=ctx.package,
                    message=message,
                    evidence=evidence,
                    sdk_key=key,
                    sdk_id=sdk_id,
                    sdk_name=name,
                    identifier=identifier,
                )
            )
    return findings


def app_identifier_undeclared(ctx: Context) -> list[Finding]:
    """Kind 5: first-party code or traffic collects an identifier the policy's own list does not declare."""
    if not ctx.decl.present:
        return []
    per_identifier: dict[str, tuple[list[CallSite], list[TrafficObservation]]] = defaultdict(lambda: ([], []))
    for site in ctx.call_sites():
        if is_first_party_site(site):
            per_identifier[site.identifier][0].append(site)
    for obs in ctx.observations:
        if obs.party == "first_party":
            per_identifier[obs.identifier][1].append(obs)
    declared = ctx.decl.first_party_identifiers()
    findings = []
    for identifier, (sites, flows) in sorted(per_identifier.items()):
        if identifier in declared:
            continue
        evidence = [policy_absent(f"that the app itself collects {identifier}", ctx.document), *_evidence(ctx, sites, flows)]
        findings.append(
            make_finding(
                "app_identifier_undeclared",
                package=ctx.package,
                evidence=evidence,
                identifier=identifier,
                message=f"The app itself {_how(identifier, sites, flows)}, which the policy does not declare.",
            )
        )
    return findings

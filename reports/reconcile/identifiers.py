"""Identifiers collected by a declared SDK, or by the app itself, that the policy does not list (or says it never collects)."""

from collections import defaultdict

from candor.model import CallSite, Evidence, Finding, TrafficObservation
from reports.reconcile.common import (
    call_site_evidence,
    capped,
    flow_evidence,
    listing,
    make_finding,
    policy_absent,
    policy_evidence,
    traffic_confidence,
)
from reports.reconcile.context import Context, is_first_party_site
from reports.rules import issued_identifiers

Collected = dict[str, tuple[list[CallSite], list[TrafficObservation]]]


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


def _tier(flows: list[TrafficObservation], unattributed: bool = False) -> dict:
    """make_finding's tier/confidence for evidence from code and/or traffic."""
    if flows:
        return {"tier": "traffic", "confidence": traffic_confidence(flows)}
    return {"tier": "unattributed" if unattributed else "code"}


def is_renamed_outside(package: str | None, caller_class: str) -> bool:
    """A class R8 renamed (every package segment 1-2 letters) outside the app's package: its owner is a guess."""
    segments = caller_class.split(".")[:-1]
    inside = bool(package) and caller_class.startswith(package + ".")  # type: ignore[operator]
    return bool(segments) and not inside and all(len(s) <= 2 for s in segments)


def sdk_identifier_undeclared(ctx: Context) -> list[Finding]:
    """A declared SDK product's own code or traffic collects an identifier the rows covering it do not list."""
    if not ctx.decl.present:
        return []
    by_product: dict[str, Collected] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    raw: dict[str, tuple[str | None, str]] = {}
    for key, sites in ctx.sdk_call_sites().items():
        for site in sites:
            by_product[key][site.identifier][0].append(site)
            raw.setdefault(key, (site.sdk_id, site.name))
    issued = issued_identifiers()
    for key, observations in ctx.sdk_observations().items():
        for obs in observations:
            if obs.identifier in issued and (obs.issuer is None or ctx.product_of(obs.issuer, obs.issuer)[0] == key):
                continue  # the SDK's own ID going back to it (an unknown issuer is taken to be the receiver)
            by_product[key][obs.identifier][1].append(obs)
            raw.setdefault(key, (obs.sdk_id, obs.name))
    products = ctx.products()
    findings = []
    for key, per_identifier in sorted(by_product.items()):
        sdk_id, raw_name = raw[key]
        rows = [r for r in ctx.covering_product(key, sdk_id, raw_name) if not r.is_party]
        if not rows:
            continue  # undeclared (or covered only by naming its vendor): no row lists its data to compare with
        product_id, label, _ = products.get(key, (*ctx.product_of(sdk_id, raw_name)[1:], []))
        declared = ctx.decl.identifiers_for(rows)
        phrases = sorted({p for r in rows for p in r.row.personal_data})
        listed = ", ".join(sorted({i for r in rows for i in r.row.identifiers}))
        listed = listed or ("no specific identifier, only “" + listing(phrases, 4) + "”" if phrases else "no identifiers")
        for identifier, (sites, flows) in sorted(per_identifier.items()):
            if identifier in declared:
                continue
            detail = f"lists {listed}" + (f" (as written: {listing(phrases, 6)})" if phrases else "")
            evidence = [policy_evidence(r.row.name, r.row.source, detail) for r in rows]
            evidence += _evidence(ctx, sites, flows)
            findings.append(
                make_finding(
                    "sdk_identifier_undeclared",
                    package=ctx.package,
                    message=f"{label} {_how(identifier, sites, flows)}, but its declaration lists {listed}.",
                    evidence=evidence,
                    facts={"listed": listed},
                    sdk_key=key,
                    sdk_id=product_id or sdk_id,
                    sdk_name=label,
                    identifier=identifier,
                    **_tier(flows),
                )
            )
    return findings


def app_identifier_undeclared(ctx: Context) -> list[Finding]:
    """The app's own code or traffic to its own servers collects an identifier its own list does not declare.

    When the policy says the identifier is not collected at all, the finding quotes that sentence and is high.
    """
    if not ctx.decl.present:
        return []
    collected: Collected = defaultdict(lambda: ([], []))
    for site in ctx.call_sites():
        if is_first_party_site(site):
            collected[site.identifier][0].append(site)
    for obs in ctx.observations:
        if obs.party == "first_party" and obs.identifier not in issued_identifiers():
            collected[obs.identifier][1].append(obs)  # the app's own account or install IDs to its servers are no collection
    declared = ctx.decl.first_party_identifiers()
    denied = ctx.decl.denied_identifiers()
    findings = []
    for identifier, (sites, flows) in sorted(collected.items()):
        if identifier in declared:
            continue
        negative = denied.get(identifier)
        if negative is not None:
            first = policy_evidence(negative.phrase, negative.source, f"says {identifier} is not collected")
        else:
            first = policy_absent(f"that the app itself collects {identifier}", ctx.document)
        renamed = bool(sites) and all(is_renamed_outside(ctx.package, s.caller_class) for s in sites)
        who = "The app itself"
        if renamed:
            callers = listing((s.caller_class for s in sites), 3)
            who = f"Renamed code outside the app's package ({callers}), which the scan gives to the app,"
        findings.append(
            make_finding(
                "app_identifier_undeclared",
                package=ctx.package,
                evidence=[first, *_evidence(ctx, sites, flows)],
                identifier=identifier,
                variant="contradicts_policy" if negative is not None else None,
                message=f"{who} {_how(identifier, sites, flows)}, which the policy "
                + ("says it does not collect." if negative is not None else "does not declare."),
                **_tier(flows, renamed),
            )
        )
    return findings

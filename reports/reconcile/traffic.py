"""Kinds 8–11: identifiers sent before consent, too often, in cleartext, or to undeclared domains."""

from collections import defaultdict
from collections.abc import Callable

from candor.model import Finding, TrafficObservation
from reports.reconcile.common import capped, flow_evidence, iso, listing, make_finding, policy_absent, traffic_confidence
from reports.reconcile.context import Context, obs_domain, party_key
from reports.reconcile.entities import APP, display_name
from reports.reconcile.thirdparty import is_app_domain, named_by_policy, organisation_of, own_domains, own_domains_known, services_in_code

Group = tuple[str, str, str]  # (party key, identifier, registrable domain)


def _groups(ctx: Context, keep: Callable[[TrafficObservation], bool]) -> dict[Group, list[TrafficObservation]]:
    """Kept observations by (recipient, identifier, registrable domain); an SDK recipient is its product."""
    groups: dict[Group, list[TrafficObservation]] = defaultdict(list)
    for obs in ctx.observations:
        if keep(obs):
            key = ctx.product_of(obs.sdk_id, obs.name)[0] if obs.party == "sdk" else party_key(obs)
            groups[(key, obs.identifier, obs_domain(obs))].append(obs)
    return dict(sorted(groups.items()))


def _who(ctx: Context, obs: TrafficObservation) -> tuple[str | None, str | None, str]:
    """(sdk_id, sdk_name, label) of the receiving party (an SDK as its product)."""
    if obs.party == "first_party":
        return None, None, "the app's own servers"
    if obs.party == "sdk":
        _, product_id, label = ctx.product_of(obs.sdk_id, display_name(obs.sdk_id, obs.name, ctx.catalog)[0])
        return product_id, label, label
    return None, None, obs_domain(obs)


Describe = Callable[[str, str, list[TrafficObservation]], str]


def _traffic_findings(
    ctx: Context, kind: str, keep: Callable[[TrafficObservation], bool], describe: Describe, third_party_variant: str | None = None
) -> list[Finding]:
    findings = []
    for (key, identifier, domain), flows in _groups(ctx, keep).items():
        flows.sort(key=lambda o: o.timestamp)
        sdk_id, sdk_name, label = _who(ctx, flows[0])
        evidence = capped([flow_evidence(o, ctx.config.show_values) for o in flows], ctx.config.max_evidence)
        span = flows[-1].timestamp - flows[0].timestamp
        findings.append(
            make_finding(
                kind,
                package=ctx.package,
                evidence=evidence,
                message=describe(label, identifier, flows),
                tier="traffic",
                confidence=traffic_confidence(flows),
                variant=third_party_variant if key != APP else None,
                facts={"name": label, "count": len(flows), "span": f"{span:.0f}"},
                sdk_key=key if key != APP else APP,
                sdk_id=sdk_id,
                sdk_name=sdk_name,
                identifier=identifier,
                domain=domain,
            )
        )
    return findings


def identifier_before_consent(ctx: Context) -> list[Finding]:
    """Kind 8: an identifier transmitted before the user consented."""
    consent = f" (consent at {iso(ctx.bundle.consent_at)})" if ctx.bundle.consent_at is not None else ""

    def describe(label: str, identifier: str, flows: list[TrafficObservation]) -> str:
        return f"{identifier} was sent to {label} {len(flows)} time(s) before consent{consent}, first at {iso(flows[0].timestamp)}."

    return _traffic_findings(ctx, "identifier_before_consent", lambda o: bool(o.before_consent), describe, "third_party")


def identifier_over_frequency(ctx: Context) -> list[Finding]:
    """Kind 9: an identifier transmitted more often than the configured rate (observation.burst)."""
    rate = f" (limit {ctx.config.max_per_minute}/min)" if ctx.config.max_per_minute else ""

    def describe(label: str, identifier: str, flows: list[TrafficObservation]) -> str:
        span = flows[-1].timestamp - flows[0].timestamp
        return f"{identifier} was sent to {label} {len(flows)} times in {span:.0f} s, above the configured rate{rate}."

    return _traffic_findings(ctx, "identifier_over_frequency", lambda o: o.burst, describe)


def identifier_cleartext(ctx: Context) -> list[Finding]:
    """Kind 10: an identifier transmitted without TLS."""

    def describe(label: str, identifier: str, flows: list[TrafficObservation]) -> str:
        hosts = ", ".join(sorted({o.host for o in flows}))
        return f"{identifier} was sent to {label} in cleartext HTTP {len(flows)} time(s) ({hosts})."

    return _traffic_findings(ctx, "identifier_cleartext", lambda o: o.cleartext or o.scheme.lower() == "http", describe)


def data_to_undeclared_domain(ctx: Context) -> list[Finding]:
    """Personal data sent to a third-party domain (not the app's, not a known SDK's) that the policy never names.

    Organisations the app's own code also calls are reported once, by `third_party_service_undeclared`. When nothing
    says which domains are the app's own (no first-party flow, no APK), nothing is reported: the report says why.
    """
    if not ctx.decl.present or not own_domains_known(ctx):
        return []
    in_code = set(services_in_code(ctx))
    own = own_domains(ctx)
    by_domain: dict[str, list[TrafficObservation]] = defaultdict(list)
    for obs in ctx.observations:
        domain = obs_domain(obs)
        if obs.party != "third_party" or domain in own or is_app_domain(ctx.package, domain):
            continue
        if organisation_of(ctx, obs.host)[0] not in in_code:
            by_domain[domain].append(obs)
    findings = []
    for domain, flows in sorted(by_domain.items()):
        _, label, names = organisation_of(ctx, flows[0].host)
        if named_by_policy(ctx, names, domain):
            continue
        flows.sort(key=lambda o: o.timestamp)
        sent = sorted({o.identifier for o in flows})
        evidence = [policy_absent(f"the recipient {label}", ctx.document)]
        evidence += capped([flow_evidence(o, ctx.config.show_values) for o in flows], ctx.config.max_evidence)
        findings.append(
            make_finding(
                "data_to_undeclared_domain",
                package=ctx.package,
                evidence=evidence,
                domain=domain,
                tier="traffic",
                confidence=traffic_confidence(flows),
                facts={"identifiers": listing(sent)},
                message=f"{', '.join(sent)} sent to {domain} ({len(flows)} transmission(s)), a third party the policy does not name.",
            )
        )
    return findings

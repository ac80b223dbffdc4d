"""Third-party services the app's own code calls (not SDKs), grouped by the organisation that runs them.

An endpoint is a URL named in a class the scan attributes to the app. Hosts are grouped by organisation: the
catalog vendor of the SDK whose domain the host is (or whose domains share its registrable domain), or the
organisation of a public web API (rules.yaml `services`), else the registrable domain. An organisation is a
finding when the policy names it nowhere (no SDK row or party of that vendor, no link or privacy URL on that
domain), when it is not the app's own, not a namespace/spec host, and not an embedded SDK's (those are SDK
findings). A host of no known organisation is only a finding when the traffic shows data going there: from code
alone it may as well be the operator's own backend.
"""

import re
from dataclasses import dataclass, field
from ipaddress import ip_address
from urllib.parse import urlsplit

from candor.catalog.catalog import Catalog
from candor.catalog.schema import LocalName
from candor.model import Endpoint, Evidence, Finding, TrafficObservation
from candor.normalize import normalize_name
from reports.reconcile.common import capped, flow_evidence, listing, make_finding, policy_absent, traffic_confidence
from reports.reconcile.context import Context, obs_domain
from reports.reconcile.entities import organisation_names, registrable_domain
from reports.rules import hosting_domains, ignored_domains, ignored_hosts, service_organisations

STATIC_FILE = re.compile(r"\.(html?|png|jpe?g|gif|webp|svg|ico|css|js|apk|pdf|mp3|mp4|ttf|woff2?)$", re.I)
GENERIC_SEGMENTS = {"com", "cn", "net", "org", "android", "app", "apps", "www", "mobile", "client", "main"}
URL = re.compile(r"https?://[^\s\"'<>]+", re.I)
EMAIL_OR_URL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)|https?://([\w-]+(?:\.[\w-]+)+)")


@dataclass
class Service:
    """One organisation the app's own code calls: its hosts, the endpoints naming them and the flows to them."""

    key: str
    label: str
    names: set[str]
    domain: str
    endpoints: list[Endpoint] = field(default_factory=list)
    flows: list[TrafficObservation] = field(default_factory=list)

    @property
    def hosts(self) -> list[str]:
        return sorted({e.host for e in self.endpoints})


_VENDORS_BY_DOMAIN: dict[int, dict[str, LocalName]] = {}


def vendors_by_domain(catalog: Catalog) -> dict[str, LocalName]:
    """Registrable domain -> the one catalog vendor whose SDK domains use it (domains shared by two vendors are left out)."""
    key = id(catalog)
    if key not in _VENDORS_BY_DOMAIN:
        seen: dict[str, dict[str, LocalName]] = {}
        for entry in catalog.sdks.values():
            for domain in entry.domains if entry.vendor else ():
                seen.setdefault(registrable_domain(domain), {})[normalize_name(entry.vendor.en)] = entry.vendor  # type: ignore[union-attr]
        _VENDORS_BY_DOMAIN[key] = {domain: next(iter(v.values())) for domain, v in seen.items() if len(v) == 1}
    return _VENDORS_BY_DOMAIN[key]


def organisation_of(ctx: Context, host: str) -> tuple[str, str, set[str]]:
    """(key, label, normalised names) of the organisation behind a host: catalog vendor, else registrable domain."""
    entry = ctx.catalog.sdk_for_host(host)
    domain = registrable_domain(host)
    vendor = entry.vendor if entry is not None and entry.vendor is not None else vendors_by_domain(ctx.catalog).get(domain)
    vendor = vendor or service_organisations().get(domain)
    if vendor is not None:
        return "org:" + (normalize_name(vendor.en) or domain), vendor.zh or vendor.en, organisation_names(vendor.zh, vendor.en)
    return "domain:" + domain, domain, set()


def named_by_policy(ctx: Context, names: set[str], domain: str) -> bool:
    """The policy names the organisation: an SDK row or party of that vendor, or a link or privacy URL on that domain."""
    return domain in ctx.decl.domains() or bool(ctx.decl.names_organisation(names, domain))


def own_domains(ctx: Context) -> set[str]:
    """Registrable domains that are the app's own: first-party traffic, the policy's contact e-mail or site, and cloud
    storage/hosting/CDN domains (they serve the operator's own bucket or site)."""
    result = {obs_domain(o) for o in ctx.observations if o.party == "first_party"} | hosting_domains()
    sections = ctx.bundle.declared.sections if ctx.bundle.declared else None
    contact = sections.contact_channel.source if sections and sections.contact_channel.source else None
    for match in EMAIL_OR_URL.finditer(contact.text if contact else ""):
        result.add(registrable_domain(match.group(1) or match.group(2)))
    return result


def own_domains_known(ctx: Context) -> bool:
    """Something tells the app's own domains apart: first-party flows (--app-domain) or the APK's package name."""
    return ctx.package is not None or any(o.party == "first_party" for o in ctx.observations)


def unknown_recipients_note(ctx: Context) -> list[str]:
    """A warning when third-party recipients could not be judged because the app's own domains are unknown."""
    third = sorted({obs_domain(o) for o in ctx.observations if o.party == "third_party"})
    if not third or own_domains_known(ctx) or not ctx.decl.present:
        return []
    return [
        f"undeclared third-party domains were not checked: nothing tells which of {listing(third, 5)} are the app's own "
        "(pass --app-domain or the APK)"
    ]


def is_app_domain(package: str | None, domain: str) -> bool:
    """The registrable domain spells the app's package (com.kangyuan.health -> kangyuan-health.com, kangyuan.com)."""
    if not package:
        return False
    label = re.sub(r"[^a-z0-9]", "", domain.split(".")[0])
    segments = [s for s in package.lower().split(".") if s not in GENERIC_SEGMENTS and len(s) >= 3]
    joined = "".join(segments)
    return bool(label) and len(label) >= 3 and (label in segments or (len(label) >= 5 and label in joined))


def is_service_call(endpoint: Endpoint) -> bool:
    """A plain http(s) URL on the endpoint's host with a path that is not a static file: an API the code calls,
    not a web page, a bare host constant or a URL inside a larger text (HTML, JSON)."""
    url = (endpoint.url or "").strip()
    if not URL.fullmatch(url):
        return False
    parts = urlsplit(url)
    return (parts.hostname or "") == endpoint.host.lower() and parts.path not in ("", "/") and not STATIC_FILE.search(parts.path)


def _is_hostname(host: str) -> bool:
    try:
        ip_address(host)
        return False
    except ValueError:
        return "." in host and not host.endswith(".")


def services_in_code(ctx: Context) -> dict[str, Service]:
    """Organisations the app's own code calls, keyed by organisation, with the traffic to their hosts."""
    if not ctx.bundle.scan:
        return {}
    ignored, skip_hosts, own = ignored_domains(), ignored_hosts(), own_domains(ctx)
    embedded = {i for _, (product_id, _, members) in ctx.products().items() for i in (product_id, *(m.sdk_id for m in members)) if i}
    services: dict[str, Service] = {}
    for endpoint in ctx.bundle.scan.endpoints:
        host = endpoint.host.lower().rstrip(".")
        domain = registrable_domain(host)
        if endpoint.owner != "app" or not _is_hostname(host) or host in skip_hosts or domain in ignored or domain in own:
            continue
        if is_app_domain(ctx.package, domain) or not is_service_call(endpoint):
            continue
        entry = ctx.catalog.sdk_for_host(host)
        if entry is not None and (entry.id in embedded or entry.family in embedded):
            continue  # an embedded SDK's server: the SDK findings cover it
        key, label, names = organisation_of(ctx, host)
        services.setdefault(key, Service(key, label, names, domain)).endpoints.append(endpoint)
    for obs in ctx.observations:
        key = organisation_of(ctx, obs.host)[0]
        if key in services and obs.party != "first_party":
            services[key].flows.append(obs)
    return {key: s for key, s in services.items() if key.startswith("org:") or s.flows}


def third_party_service_undeclared(ctx: Context) -> list[Finding]:
    """A third party (not an SDK) that the app's own code calls and the policy does not name; confirmed by traffic when present."""
    if not ctx.decl.present or not ctx.has_code:
        return []
    findings = []
    for key, service in sorted(services_in_code(ctx).items()):
        if named_by_policy(ctx, service.names, service.domain):
            continue
        callers = sorted({e.caller_class for e in service.endpoints if e.caller_class})
        evidence = [policy_absent(f"the third party {service.label}", ctx.document)]
        evidence += capped(
            [
                Evidence(kind="code", summary=f"{e.caller_class or 'app code'} names {e.url or e.host}", call_site=e.model_dump())
                for e in service.endpoints
            ],
            ctx.config.max_evidence,
        )
        flows = sorted(service.flows, key=lambda o: o.timestamp)
        evidence += capped([flow_evidence(o, ctx.config.show_values) for o in flows], ctx.config.max_evidence)
        sent = sorted({o.identifier for o in flows})
        message = f"The app's own code calls {service.label} ({listing(service.hosts, 4)})"
        message += f" and sends it {', '.join(sent)}" if sent else ""
        message += "; the policy does not name this third party."
        findings.append(
            make_finding(
                "third_party_service_undeclared",
                package=ctx.package,
                evidence=evidence,
                domain=service.domain,
                sdk_key=key,
                tier="traffic" if flows else "endpoint",
                confidence=traffic_confidence(flows) if flows else None,
                variant="confirmed" if flows else None,
                facts={
                    "organisation": service.label,
                    "hosts": listing(service.hosts, 4),
                    "callers": listing(callers, 3) or "app code",
                    "identifiers": listing(sent),
                },
                message=message,
            )
        )
    return findings

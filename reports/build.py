"""Build the `AuditReport`: findings, summary and verdict, SDK matrix, permission table, timeline."""

from collections import Counter
from datetime import UTC, datetime

from candor import __version__
from candor.catalog.catalog import Catalog
from candor.catalog.session import current_catalog
from candor.model import Finding
from candor.model.common import SEVERITY_ORDER
from reports.evidence import EvidenceBundle
from reports.model import AppInfo, AuditReport, PermissionRow, SdkRow, Summary, TimelineEvent
from reports.reconcile import Context, ReconcileConfig, reconcile_context
from reports.reconcile.context import is_first_party_site
from reports.reconcile.entities import display_name, family_of, sdk_key
from reports.reconcile.thirdparty import unknown_recipients_note

MAX_TIMELINE = 5000


def build_report(bundle: EvidenceBundle, config: ReconcileConfig | None = None, catalog: Catalog | None = None) -> AuditReport:
    """Reconcile the bundle and assemble the report envelope. The catalog: this command's, unless given."""
    ctx = Context(bundle, config or ReconcileConfig(), catalog or current_catalog())
    findings = reconcile_context(ctx)
    config = ctx.config
    scan = bundle.scan
    app = AppInfo(
        package=scan.package if scan else None,
        app_name=scan.app_name if scan else None,
        version_name=scan.version_name if scan else None,
        version_code=scan.version_code if scan else None,
        apk_sha256=scan.sha256 if scan else None,
    )
    warnings = list(bundle.warnings)
    if bundle.consent_inferred:
        warnings.append("consent moment inferred from the traffic analyser's before/after labels")
    warnings += unattributed_code(ctx) + unknown_recipients_note(ctx)
    if len(ctx.observations) > MAX_TIMELINE:
        warnings.append(f"timeline shows the first {MAX_TIMELINE} of {len(ctx.observations)} transmissions")
    return AuditReport(
        tool_version=__version__,
        generated_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        app=app,
        sources=bundle.sources,
        consent_at=bundle.consent_at,
        values_masked=not config.show_values,
        summary=summarize(findings, bundle),
        findings=findings,
        sdks=sdk_matrix(ctx, findings),
        permissions=permission_table(ctx, findings),
        timeline=timeline(ctx),
        warnings=warnings,
    )


def unattributed_code(ctx: Context) -> list[str]:
    """Third-party code no catalog entry names that reads identifiers: never charged to anyone, so say it for a reviewer."""
    unknown = ctx.bundle.scan.unknown_third_party if ctx.bundle.scan else []
    return [
        f"code Candor cannot name reads {', '.join(u.identifiers)}: {u.prefix} ({u.classes} classes) — review whether it is an SDK "
        "the policy must name"
        for u in unknown
        if u.identifiers
    ]


def summarize(findings: list[Finding], bundle: EvidenceBundle) -> Summary:
    """Counts by severity and kind; verdict: non-compliant when anything is high or worse."""
    by_severity = Counter(f.severity for f in findings)
    highest = max((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__, default=None)
    if highest is not None and SEVERITY_ORDER[highest] >= SEVERITY_ORDER["high"]:
        verdict = "non_compliant"
    elif highest is not None and SEVERITY_ORDER[highest] >= SEVERITY_ORDER["low"]:
        verdict = "needs_review"
    elif bundle.declared is None or (bundle.scan is None and bundle.observations is None):
        verdict = "insufficient_evidence"
    else:
        verdict = "no_findings"
    return Summary(
        total=len(findings),
        by_severity={s: by_severity.get(s, 0) for s in sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True)},
        by_kind=dict(sorted(Counter(f.kind for f in findings).items())),
        highest=highest,
        verdict=verdict,  # type: ignore[arg-type]
    )


def _row(rows: dict[str, SdkRow], sdk_id: str | None, name: str, catalog: Catalog) -> SdkRow:
    key = sdk_key(sdk_id, name)
    if key not in rows:
        en, zh = display_name(sdk_id, name, catalog)
        entry = catalog.sdk(sdk_id) if sdk_id else None
        rows[key] = SdkRow(key=key, sdk_id=sdk_id, name=en, name_zh=zh, category=entry.category if entry else None)
    return rows[key]


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def sdk_matrix(ctx: Context, findings: list[Finding]) -> list[SdkRow]:
    """One row per SDK seen anywhere: declared / in code / in traffic, identifiers per source."""
    rows: dict[str, SdkRow] = {}
    for declared in ctx.decl.rows:
        row = _row(rows, declared.sdk_id, declared.row.name, ctx.catalog)
        row.declared = True
        _add(row.declared_as, declared.row.name)
        for identifier in declared.row.identifiers:
            _add(row.identifiers_declared, identifier)
    libraries = list(ctx.bundle.scan.libraries) if ctx.bundle.scan else []
    for sdk in [*ctx.all_sdks(), *libraries]:
        row = _row(rows, sdk.sdk_id, sdk.name, ctx.catalog)
        row.in_code = row.in_code or sdk.presence == "embedded"
        row.presence = row.presence if row.presence == "embedded" else sdk.presence
        row.role = "library" if ctx.is_library(sdk) else row.role
    for site in ctx.call_sites():
        if not is_first_party_site(site):
            row = _row(rows, site.sdk_id, site.name, ctx.catalog)
            row.in_code = True
            _add(row.identifiers_code, site.identifier)
    for obs in ctx.observations:
        if obs.party == "sdk":
            row = _row(rows, obs.sdk_id, obs.name, ctx.catalog)
            row.in_traffic = True
            _add(row.identifiers_traffic, obs.identifier)
    for row in rows.values():
        covering = ctx.decl.covering(row.sdk_id, row.name)
        if covering and not row.declared:
            row.declared = True
            row.declared_as = [c.row.name for c in covering]
            row.identifiers_declared = sorted({i for c in covering for i in c.row.identifiers})
        children = [r for r in rows.values() if r.sdk_id and family_of(r.sdk_id, ctx.catalog) == row.key]
        row.in_code = row.in_code or any(c.in_code for c in children)
        row.in_traffic = row.in_traffic or any(c.in_traffic for c in children)
        for values in (row.identifiers_declared, row.identifiers_code, row.identifiers_traffic):
            values.sort()
        product = ctx.product_of(row.sdk_id, row.name)[1] if row.in_code else None
        row.findings = [
            f.id for f in findings if (row.sdk_id and f.sdk_id in (row.sdk_id, product)) or (not row.sdk_id and f.sdk_name == row.name)
        ]
    return sorted(rows.values(), key=lambda r: (r.declared and r.in_code, r.name.lower()))


def permission_table(ctx: Context, findings: list[Finding]) -> list[PermissionRow]:
    """Requested / declared / protection level for every permission on either side."""
    catalog = ctx.catalog
    declared = ctx.decl.permissions()
    requested = {p.name: p for p in ctx.bundle.scan.permissions} if ctx.bundle.scan else {}
    result = []
    for name in sorted(set(declared) | set(requested)):
        manifest = requested.get(name)
        known = manifest and manifest.protection_level not in ("", "unknown")
        level = manifest.protection_level if known and manifest else catalog.protection_level(name)
        result.append(
            PermissionRow(
                permission=name,
                protection_level=level,
                requested=manifest is not None,
                declared=name in declared,
                declared_by=declared.get(name, []),
                findings=[f.id for f in findings if f.permission == name],
            )
        )
    order = {"dangerous": 0, "special": 1, "signature": 2, "normal": 3}
    return sorted(result, key=lambda r: (r.requested and r.declared, order.get(r.protection_level, 4), r.permission))


def timeline(ctx: Context) -> list[TimelineEvent]:
    """Identifier transmissions in time order (capped)."""
    events = sorted(ctx.observations, key=lambda o: o.timestamp)[:MAX_TIMELINE]
    return [
        TimelineEvent(
            t=o.timestamp,
            flow_id=o.flow_id,
            host=o.host,
            identifier=o.identifier,
            party=o.party,
            name=display_name(o.sdk_id, o.name, ctx.catalog)[0] if o.party == "sdk" else o.name,
            sdk_id=o.sdk_id,
            before_consent=o.before_consent,
            cleartext=o.cleartext or o.scheme.lower() == "http",
            burst=o.burst,
        )
        for o in events
    ]

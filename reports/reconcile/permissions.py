"""Permissions: requested but not declared (by protection level and privacy relevance), declared but never
requested, and uses-permission entries that are not platform permissions at all."""

from candor.model import CallSite, Evidence, Finding
from candor.model.static import ManifestPermission
from reports.reconcile.common import call_site_evidence, capped, listing, make_finding, policy_absent, policy_evidence
from reports.reconcile.context import Context, collects, site_owner
from reports.rules import permission_policy

PLATFORM_NAMESPACE = "android."


def protection_level(ctx: Context, requested: ManifestPermission) -> str:
    """The scan's protection level, else the catalog's (`unknown` when neither knows the permission)."""
    if requested.protection_level not in ("", "unknown"):
        return requested.protection_level
    return ctx.catalog.protection_level(requested.name)


def is_platform_permission(ctx: Context, requested: ManifestPermission) -> bool:
    return ctx.catalog.permission(requested.name) is not None or (not requested.custom and protection_level(ctx, requested) != "unknown")


def gated_reads(ctx: Context, permission: str) -> list[CallSite]:
    """Collecting call sites (any owner but the platform) that read personal data through a normal permission."""
    apis = permission_policy().gates_personal_data.get(permission, ())
    return [s for s in ctx.call_sites() if collects(s) and site_owner(s)[0] != "platform" and s.api.startswith(apis)] if apis else []


def permission_undeclared(ctx: Context) -> list[Finding]:
    """A requested permission that gives access to personal information and that neither the app nor an SDK row declares.

    Dangerous and special permissions always count; a normal permission counts only when the code reads the
    personal data it gates (rules.yaml `gates_personal_data`) or practice expects it disclosed (`disclosure_expected`);
    permissions the platform does not define are `permission_not_platform` notes instead.
    """
    if not ctx.decl.present or not ctx.has_code:
        return []
    policy = permission_policy()
    declared = policy.disclosed(set(ctx.decl.permissions()))
    denied = ctx.decl.denied_permissions()
    findings = []
    for requested in ctx.bundle.scan.permissions:  # type: ignore[union-attr]
        name = requested.name
        if name in declared or not is_platform_permission(ctx, requested):
            continue
        level = protection_level(ctx, requested)
        reads = gated_reads(ctx, name)
        variant = "special" if level == "special" else None
        if name in denied:
            variant = "contradicts_policy"
        elif level not in policy.disclosure_levels or name in policy.no_personal_data:
            if reads:
                variant = "gates_data"
            elif name in policy.disclosure_expected:
                variant = policy.disclosure_expected[name]
            else:
                continue  # a normal permission with no personal-information effect
        manifest = Evidence(kind="manifest", summary=f'<uses-permission android:name="{name}"/> ({level})')
        negative = denied.get(name)
        first = policy_evidence(negative.phrase, negative.source, "says it is not requested") if negative else None
        evidence = [first or policy_absent(f"the permission {name}", ctx.document), manifest]
        evidence += capped([call_site_evidence(site) for site in reads], ctx.config.max_evidence)
        identifiers = listing(s.identifier for s in reads)
        findings.append(
            make_finding(
                "permission_undeclared",
                package=ctx.package,
                evidence=evidence,
                permission=name,
                tier="code" if variant == "gates_data" else "manifest",
                variant=variant,
                facts={"level": level, "identifiers": identifiers},
                message=f"The manifest requests {name} ({level}) but the policy "
                + ("says it is not requested." if negative else "does not declare it.")
                + (f" The code reads {identifiers} through it." if reads else ""),
            )
        )
    return findings


def permission_declared_not_requested(ctx: Context) -> list[Finding]:
    """A permission the policy declares (for the app or an SDK) that the manifest never requests (info)."""
    if not ctx.decl.present or not ctx.has_code:
        return []
    requested = {p.name for p in ctx.bundle.scan.permissions}  # type: ignore[union-attr]
    sources_by_permission = ctx.decl.permission_sources()
    # one phrase may stand for several permissions (存储 -> read and write storage): it is honoured when one of them is requested
    honoured = {
        (phrase, source.line)
        for permission, sources in sources_by_permission.items()
        if permission in requested
        for _, phrase, source in sources
    }
    findings = []
    for permission, sources in sorted(sources_by_permission.items()):
        if permission in requested or any((phrase, source.line) in honoured for _, phrase, source in sources):
            continue
        evidence = [policy_evidence(phrase, source, f"{permission} (for {who})") for who, phrase, source in sources[:5]]
        evidence.append(Evidence(kind="manifest", summary=f"The manifest has no <uses-permission> for {permission}."))
        declarers = ", ".join(sorted({who for who, _, _ in sources}))
        findings.append(
            make_finding(
                "permission_declared_not_requested",
                package=ctx.package,
                evidence=evidence,
                permission=permission,
                tier="manifest",
                message=f"The policy declares {permission} (for {declarers}) but the manifest does not request it.",
            )
        )
    return findings


def permission_not_platform(ctx: Context) -> list[Finding]:
    """A uses-permission in the android namespace that the platform does not define (e.g. a broadcast action): one note.

    Vendor and app-defined permissions (other namespaces) are legitimate and get no finding.
    """
    if not ctx.has_code:
        return []
    findings = []
    for requested in ctx.bundle.scan.permissions:  # type: ignore[union-attr]
        if not requested.name.startswith(PLATFORM_NAMESPACE) or is_platform_permission(ctx, requested):
            continue
        findings.append(
            make_finding(
                "permission_not_platform",
                package=ctx.package,
                evidence=[Evidence(kind="manifest", summary=f'<uses-permission android:name="{requested.name}"/> (no such permission)')],
                permission=requested.name,
                tier="manifest",
                message=f"{requested.name} is requested as a permission but Android defines no such permission; it grants nothing.",
            )
        )
    return findings

"""Kinds 6–7: permissions requested but not declared, and declared but never requested."""

from candor.catalog import session
from candor.model import Evidence, Finding
from reports.reconcile.common import make_finding, policy_absent, policy_evidence
from reports.reconcile.context import Context


def permission_undeclared(ctx: Context) -> list[Finding]:
    """Kind 6: a manifest permission neither the app nor any SDK row declares; dangerous ones are high."""
    if not ctx.decl.present or not ctx.has_code:
        return []
    declared = ctx.decl.permissions()
    catalog = session.current_catalog()
    findings = []
    for requested in ctx.bundle.scan.permissions:  # type: ignore[union-attr]
        if requested.name in declared:
            continue
        level = catalog.protection_level(requested.name) if requested.protection_level in ("", "unknown") else requested.protection_level
        evidence = [
            policy_absent(f"the permission {requested.name}", ctx.document),
            Evidence(kind="manifest", summary=f'<uses-permission android:name="{requested.name}"/> ({level})'),
        ]
        findings.append(
            make_finding(
                "permission_undeclared",
                package=ctx.package,
                evidence=evidence,
                permission=requested.name,
                protection=level,
                message=f"The manifest requests {requested.name} ({level}) but the policy does not declare it.",
            )
        )
    return findings


def permission_declared_not_requested(ctx: Context) -> list[Finding]:
    """Kind 7: a permission the policy declares (for the app or an SDK) that the manifest never requests (info)."""
    if not ctx.decl.present or not ctx.has_code:
        return []
    requested = {p.name for p in ctx.bundle.scan.permissions}  # type: ignore[union-attr]
    findings = []
    for permission, sources in sorted(ctx.decl.permission_sources().items()):
        if permission in requested:
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
                message=f"The policy declares {permission} (for {declarers}) but the manifest does not request it.",
            )
        )
    return findings

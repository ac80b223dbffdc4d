"""The policy itself: sections it must have, and declared entries Candor could not map (checks that did not run)."""

import re

from candor.model import Evidence, Finding, PolicySection
from reports.reconcile.common import capped, listing, make_finding, policy_evidence
from reports.reconcile.context import Context
from reports.reconcile.permissions import is_platform_permission, protection_level
from reports.rules import permission_policy

SDK_ROW_KINDS = ("table_row", "list_item")
SECTION_OF = {"contact_channel": "contact", "contact_placeholder": "contact", "sdk_list": "sdk_list", "permission_list": "permission_list"}
EXTERNAL_LIST = {
    "sdk_list": re.compile(r"(SDK|第三方).*(清单|目录|列表|说明)|共享.*清单", re.I),
    "permission_list": re.compile(r"权限.*(清单|列表|说明|目录)", re.I),
}


def _external_list(ctx: Context, section: str) -> str | None:
    """A link the policy gives to a separate list (e.g. 《第三方SDK共享清单》): the list exists elsewhere."""
    table = ctx.bundle.declared
    pattern = EXTERNAL_LIST[section]
    return next((link.name for link in (table.links if table else []) if pattern.search(link.name)), None)


def _missing(section: PolicySection, what: str, document: str | None) -> Evidence:
    if section.source is not None:
        return policy_evidence(section.source.text[:120], section.source, what)
    where = f" ({document})" if document else ""
    return Evidence(kind="policy_absent", summary=f"The policy{where} has no {what}.")


def _permissions_needing_disclosure(ctx: Context) -> list[str]:
    """Requested platform permissions a policy must list (rules.yaml `disclosure_levels`, minus `no_personal_data`)."""
    policy = permission_policy()
    requested = ctx.bundle.scan.permissions if ctx.bundle.scan else []
    return [
        p.name
        for p in requested
        if is_platform_permission(ctx, p) and protection_level(ctx, p) in policy.disclosure_levels and p.name not in policy.no_personal_data
    ]


def policy_missing_section(ctx: Context) -> list[Finding]:
    """No contact channel (or an unfilled template), no SDK list although SDKs are embedded, no permission list
    although personal-data permissions are requested — from the policy reader's section summary."""
    table = ctx.bundle.declared
    sections = table.sections if table else None
    if sections is None or not sections.is_policy or not table.personal_data:  # type: ignore[union-attr]
        # a hand-written table, or a document that is not a whole policy (a standalone SDK or permission list says
        # nothing about what the operator itself collects): nothing to say about the sections it lacks
        return []
    found: list[tuple[str, str, PolicySection, dict, str]] = []  # (variant, what, section, facts, message)
    contact = sections.contact_channel
    if not contact.present:
        found.append(("contact_channel", "contact channel", contact, {}, "The policy gives no contact or complaint channel."))
    elif contact.placeholder:
        facts = {"quote": contact.source.text[:60] if contact.source else "?"}
        message = "The policy's contact details are an unfilled template."
        found.append(("contact_placeholder", "filled-in contact channel", contact, facts, message))
    products = ctx.products()
    has_sdk_rows = any(r.row.kind in SDK_ROW_KINDS for r in ctx.decl.rows)
    if not sections.sdk_list.present and not has_sdk_rows and products and not _external_list(ctx, "sdk_list"):
        names = listing((label for _, label, _ in products.values()), 6)
        message = f"The policy has no SDK list; the APK embeds {names}."
        found.append(("sdk_list", "third-party SDK list", sections.sdk_list, {"count": len(products), "names": names}, message))
    needing = _permissions_needing_disclosure(ctx)
    if not sections.permission_list.present and not table.permissions and needing and not _external_list(ctx, "permission_list"):  # type: ignore[union-attr]
        names = listing((n.rsplit(".", 1)[-1] for n in needing), 6)
        message = f"The policy has no permission list; the app requests {names}."
        found.append(("permission_list", "permission list", sections.permission_list, {"count": len(needing), "names": names}, message))
    findings = []
    for variant, what, section, facts, message in found:
        findings.append(
            make_finding(
                "policy_missing_section",
                package=ctx.package,
                evidence=[_missing(section, what, ctx.document)],
                message=message,
                tier="policy",
                variant=variant,
                facts={"section": what, **facts},
                sdk_key="section:" + SECTION_OF[variant],
            )
        )
    return findings


def declared_entry_unresolved(ctx: Context) -> list[Finding]:
    """Declared SDK entries that map to no catalog SDK and to nothing found: their per-SDK checks did not run (one note)."""
    if not ctx.decl.present:
        return []
    seen_names = {s.name.strip().lower() for s in ctx.all_sdks()}
    covering = {id(r) for key, (product_id, label, _) in ctx.products().items() for r in ctx.covering_product(key, product_id, label)}
    rows = [
        r
        for r in ctx.decl.rows
        if r.sdk_id is None and r.row.kind in SDK_ROW_KINDS and r.row.name.strip().lower() not in seen_names and id(r) not in covering
    ]
    if not rows:
        return []
    names = listing((r.row.name for r in rows), 8)
    evidence = capped([policy_evidence(r.row.name, r.row.source, "not mapped to a known SDK") for r in rows], ctx.config.max_evidence)
    return [
        make_finding(
            "declared_entry_unresolved",
            package=ctx.package,
            evidence=evidence,
            message=f"Candor could not map {len(rows)} declared SDK entr{'y' if len(rows) == 1 else 'ies'} ({names}) to an SDK it can "
            "detect: whether they are in the app and what they collect was NOT checked. Correct the names in declared.yaml or "
            "add them to the catalog.",
            tier="coverage",
            facts={"count": len(rows), "names": names},
            sdk_key="unresolved",
        )
    ]

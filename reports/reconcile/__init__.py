"""The reconciler: one function per finding kind, each `Context -> list[Finding]`."""

from collections.abc import Callable

from candor.catalog.catalog import Catalog
from candor.catalog.session import current_catalog
from candor.model import Finding
from candor.model.common import SEVERITY_ORDER
from reports.evidence import EvidenceBundle
from reports.reconcile.common import ReconcileConfig
from reports.reconcile.context import Context
from reports.reconcile.identifiers import app_identifier_undeclared, sdk_identifier_undeclared
from reports.reconcile.launch import permission_requested_at_launch, sdk_init_before_consent
from reports.reconcile.permissions import permission_declared_not_requested, permission_not_platform, permission_undeclared
from reports.reconcile.policy import declared_entry_unresolved, policy_missing_section
from reports.reconcile.sdks import sdk_declared_not_observed, sdk_in_code_undeclared, sdk_in_traffic_undeclared
from reports.reconcile.thirdparty import third_party_service_undeclared
from reports.reconcile.traffic import data_to_undeclared_domain, identifier_before_consent, identifier_cleartext, identifier_over_frequency

RULES: tuple[Callable[[Context], list[Finding]], ...] = (
    sdk_in_code_undeclared,
    sdk_in_traffic_undeclared,
    sdk_declared_not_observed,
    sdk_identifier_undeclared,
    app_identifier_undeclared,
    permission_undeclared,
    permission_declared_not_requested,
    identifier_before_consent,
    identifier_over_frequency,
    identifier_cleartext,
    data_to_undeclared_domain,
    third_party_service_undeclared,
    sdk_init_before_consent,
    permission_requested_at_launch,
    policy_missing_section,
    declared_entry_unresolved,
    permission_not_platform,
)


def sort_key(finding: Finding) -> tuple:
    subject = (finding.sdk_name or "", finding.identifier or "", finding.permission or "", finding.domain or "")
    return (-SEVERITY_ORDER[finding.severity], finding.kind, *subject)


def reconcile(bundle: EvidenceBundle, config: ReconcileConfig | None = None, catalog: Catalog | None = None) -> list[Finding]:
    """All findings for one evidence bundle, most severe first; ids are unique. The catalog: this command's, unless given."""
    return reconcile_context(Context(bundle, config or ReconcileConfig(), catalog or current_catalog()))


def reconcile_context(ctx: Context) -> list[Finding]:
    """All findings for a prepared reconcile context."""
    findings: dict[str, Finding] = {}
    for rule in RULES:
        for finding in rule(ctx):
            findings.setdefault(finding.id, finding)
    return sorted(findings.values(), key=sort_key)


__all__ = ["RULES", "Context", "ReconcileConfig", "reconcile", "reconcile_context"]

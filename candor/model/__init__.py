"""The data model shared by every part of Candor (JSON-serialisable pydantic models).

Names are imported from their module on first use, so a command that needs one model (a scan) does not build
every model class at start-up; `from candor.model import StaticScan` works as before.
"""

from candor.lazy import lazy_exports

_EXPORTS = {
    "IDENTIFIER_IDS": "candor.model.common",
    "SCHEMA_VERSION": "candor.model.common",
    "IdentifierId": "candor.model.common",
    "SdkRef": "candor.model.common",
    "Severity": "candor.model.common",
    "Source": "candor.model.common",
    "DeclaredIdentifier": "candor.model.declared",
    "DeclaredLink": "candor.model.declared",
    "DeclaredPermission": "candor.model.declared",
    "DeclaredSdk": "candor.model.declared",
    "DeclaredTable": "candor.model.declared",
    "NegativeDeclaration": "candor.model.declared",
    "PersonalDataItem": "candor.model.declared",
    "PolicySection": "candor.model.declared",
    "PolicySections": "candor.model.declared",
    "Evidence": "candor.model.findings",
    "Finding": "candor.model.findings",
    "FindingKind": "candor.model.findings",
    "RuleRef": "candor.model.findings",
    "CallSite": "candor.model.static",
    "DexInfo": "candor.model.static",
    "EmbeddedSdk": "candor.model.static",
    "Endpoint": "candor.model.static",
    "LaunchFacts": "candor.model.static",
    "ManifestComponent": "candor.model.static",
    "ManifestPermission": "candor.model.static",
    "MetaDataEntry": "candor.model.static",
    "PermissionRequest": "candor.model.static",
    "SdkEvidence": "candor.model.static",
    "SdkInit": "candor.model.static",
    "StaticScan": "candor.model.static",
    "UnknownThirdParty": "candor.model.static",
    "TrafficObservation": "candor.model.traffic",
}

__all__ = sorted(_EXPORTS)


__getattr__ = lazy_exports(__name__, _EXPORTS)

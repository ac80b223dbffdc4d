"""The data model shared by every part of Candor (JSON-serialisable pydantic models)."""

from candor.model.common import (
    IDENTIFIER_IDS,
    SCHEMA_VERSION,
    IdentifierId,
    SdkRef,
    Severity,
    Source,
)
from candor.model.declared import (
    DeclaredIdentifier,
    DeclaredLink,
    DeclaredPermission,
    DeclaredSdk,
    DeclaredTable,
    PersonalDataItem,
)
from candor.model.findings import Evidence, Finding, FindingKind, RuleRef
from candor.model.static import (
    CallSite,
    DexInfo,
    EmbeddedSdk,
    ManifestComponent,
    ManifestPermission,
    MetaDataEntry,
    SdkEvidence,
    StaticScan,
)
from candor.model.traffic import TrafficObservation

__all__ = [
    "IDENTIFIER_IDS",
    "SCHEMA_VERSION",
    "CallSite",
    "DeclaredIdentifier",
    "DeclaredLink",
    "DeclaredPermission",
    "DeclaredSdk",
    "DeclaredTable",
    "DexInfo",
    "EmbeddedSdk",
    "Evidence",
    "Finding",
    "FindingKind",
    "IdentifierId",
    "ManifestComponent",
    "ManifestPermission",
    "MetaDataEntry",
    "PersonalDataItem",
    "RuleRef",
    "SdkEvidence",
    "SdkRef",
    "Severity",
    "Source",
    "StaticScan",
    "TrafficObservation",
]

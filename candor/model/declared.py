"""What a privacy policy declares: SDKs, permissions, identifiers and personal data."""

from typing import Literal

from pydantic import Field

from candor.model.common import SCHEMA_VERSION, IdentifierId, Model, Source


class DeclaredSdk(Model):
    """One third-party SDK as the policy declares it."""

    name: str = Field(description="The SDK name as written in the policy.")
    sdk_id: str | None = Field(default=None, description="Catalog id, null when unknown.")
    company: str | None = None
    purpose: str | None = None
    identifiers: list[IdentifierId] = Field(default_factory=list)
    permissions: list[str] = Field(default_factory=list, description="Full android.permission.X names.")
    personal_data: list[str] = Field(default_factory=list, description="Declared data phrases as written.")
    privacy_url: str | None = None
    deidentified: bool | None = Field(default=None, description="Policy says data is de-identified.")
    kind: Literal["table_row", "list_item", "mention", "party"] = Field(
        default="table_row", description="party: a vendor named without an SDK name (covers its SDKs for presence)."
    )
    confidence: float = 1.0
    flags: list[str] = Field(default_factory=list, description="e.g. unknown_sdk, fuzzy_name.")
    source: Source


class DeclaredPermission(Model):
    """One Android permission the policy declares, with the phrase as written."""

    permission: str = Field(description="Full android.permission.X name.")
    phrase: str = Field(description="The phrase as written in the policy.")
    purpose: str | None = None
    confidence: float = 1.0
    source: Source


class DeclaredIdentifier(Model):
    """An identifier the app itself (first party) declares collecting."""

    identifier: IdentifierId
    phrase: str
    purpose: str | None = None
    confidence: float = 1.0
    source: Source


class PersonalDataItem(Model):
    """Other personal data the app declares (name, e-mail, region, health data...)."""

    category: str = Field(description="Normalised category, e.g. name, email, region.")
    phrase: str
    source: Source


class DeclaredLink(Model):
    """A link to another company's website or service: not an SDK."""

    name: str
    url: str | None = None
    source: Source


class NegativeDeclaration(Model):
    """Something the policy says is NOT collected or requested (a later use contradicts it)."""

    permission: str | None = None
    identifier: IdentifierId | None = None
    phrase: str
    source: Source


class PolicySection(Model):
    """Whether the document has one section a policy must have, and where."""

    present: bool = False
    placeholder: bool = Field(default=False, description="Present but an unfilled template (e.g. {{运营者姓名}}).")
    source: Source | None = None


class PolicySections(Model):
    """Which sections the document has, for the policy-completeness checks."""

    is_policy: bool = Field(default=False, description="The document reads as a privacy policy or SDK list.")
    sdk_list: PolicySection = Field(default_factory=PolicySection)
    permission_list: PolicySection = Field(default_factory=PolicySection)
    personal_data: PolicySection = Field(default_factory=PolicySection)
    contact_channel: PolicySection = Field(default_factory=PolicySection)
    update_date: PolicySection = Field(default_factory=PolicySection)


class DeclaredTable(Model):
    """Everything a policy declares; reviewable YAML, accepted by `candor report`."""

    schema_version: str = SCHEMA_VERSION
    document: str | None = None
    sha256: str | None = None
    language: str | None = None
    sdks: list[DeclaredSdk] = Field(default_factory=list)
    permissions: list[DeclaredPermission] = Field(default_factory=list)
    identifiers: list[DeclaredIdentifier] = Field(default_factory=list)
    personal_data: list[PersonalDataItem] = Field(default_factory=list)
    links: list[DeclaredLink] = Field(default_factory=list)
    not_declared: list[NegativeDeclaration] = Field(default_factory=list)
    sections: PolicySections | None = Field(default=None, description="Null for tables written by hand.")
    warnings: list[str] = Field(default_factory=list)

"""The pydantic base of Candor's models and small building blocks; the vocabulary lives in candor.model.vocab."""

from pydantic import BaseModel, ConfigDict, Field

from candor.model.vocab import APP_KEY, IDENTIFIER_IDS, SCHEMA_VERSION, SEVERITY_ORDER, IdentifierId, Severity, sdk_key

__all__ = [
    "APP_KEY", "IDENTIFIER_IDS", "SCHEMA_VERSION", "SEVERITY_ORDER", "IdentifierId", "Model", "SdkRef", "Severity", "Source", "sdk_key",
]  # fmt: skip


class Model(BaseModel):
    """Base for all Candor models: strict about unknown fields, stable JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)  # built on first use: fast start-up


class Source(Model):
    """Where a fact came from in a document: the quoted text and its position."""

    text: str = Field(description="The quoted original text (not normalised).")
    line: int | None = Field(default=None, description="1-based line number in the document.")
    offset: int | None = Field(default=None, description="0-based character offset in the document.")
    document: str | None = Field(default=None, description="Document name or path.")


class SdkRef(Model):
    """A reference to an SDK: catalog id (or null when unknown) and display name."""

    sdk_id: str | None = None
    name: str

    @property
    def key(self) -> str:
        return sdk_key(self.sdk_id, self.name)


class InventoryChanges(Model):
    """SDKs and permissions added or removed between two releases of one package."""

    sdks_added: list[str] = Field(default_factory=list)
    sdks_removed: list[str] = Field(default_factory=list)
    permissions_added: list[str] = Field(default_factory=list)
    permissions_removed: list[str] = Field(default_factory=list)

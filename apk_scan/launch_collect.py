"""Gathers, during a scan, what the launch facts and code endpoints need: every DEX (kept until the end,
because launch paths cross DEX files), URL strings with the classes that load them, and UI texts."""

from dataclasses import dataclass, field

from apk_scan.archive import SafeZip
from apk_scan.consent_ui import ConsentUiFinder, add_entry, is_ui_entry
from apk_scan.dex.reader import DexFile
from apk_scan.endpoints import code_endpoints
from apk_scan.launch import analyse_launch, owner_label
from apk_scan.owners import Owners
from apk_scan.program import Program
from apk_scan.string_pool import StringPool
from candor.catalog.catalog import Catalog
from candor.errors import InputError
from candor.model.static import Endpoint, LaunchFacts

MAX_UI_BYTES = 8 * 1024 * 1024  # layouts and text/script assets searched for consent UI, in total


@dataclass
class LaunchCollector:
    """Per-scan accumulator; `finish` turns it into LaunchFacts and endpoints."""

    dexes: list[DexFile] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    consent: ConsentUiFinder = field(default_factory=ConsentUiFinder)
    ui_bytes: int = 0

    def add_dex(self, dex: DexFile, location: str, catalog: Catalog, owners: Owners) -> None:
        """One DEX: kept for the launch walk; its code endpoints and UI texts."""
        self.dexes.append(dex)
        self.locations.append(location)
        self.endpoints.extend(code_endpoints(dex, location, catalog, lambda dotted: owner_label(owners, dotted)))
        self.consent.add_bytes(location, dex.data)

    def add_ui_entries(self, zf: SafeZip, prefix: str = "") -> None:
        """Compiled layouts and HTML/text assets of one APK part (within a total byte budget)."""
        for name in zf.names:
            if not is_ui_entry(name) or self.ui_bytes + zf.size(name) > MAX_UI_BYTES:
                continue
            try:
                data = zf.read(name)
            except InputError:
                continue
            self.ui_bytes += len(data)
            add_entry(self.consent, prefix + name, data)

    def add_resources(self, arsc: bytes | None) -> None:
        if arsc:
            self.consent.add_pool("resources.arsc", StringPool(arsc))

    def finish(self, catalog: Catalog, owners: Owners, application_class: str | None,
               launcher_activity: str | None) -> tuple[LaunchFacts, list[Endpoint]]:  # fmt: skip
        facts = analyse_launch(Program(self.dexes), catalog, owners, application_class, launcher_activity, self.locations)
        facts.consent_ui, facts.consent_ui_evidence = self.consent.verdict()
        endpoints = sorted(self.endpoints, key=lambda e: (e.owner != "app", e.host, e.caller_class or ""))
        self.dexes.clear()
        return facts, endpoints

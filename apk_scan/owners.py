"""Who owns a class: a catalog SDK (longest package prefix) or the app itself ('app')."""

from candor.catalog.catalog import Catalog

APP = "app"


class Owners:
    """Cached class -> (sdk id, display name) attribution."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._by_package: dict[str, tuple[str | None, str, str | None]] = {}

    def package_owner(self, package: str) -> tuple[str | None, str, str | None]:
        """(sdk id, name, matched prefix) for a dotted package; (None, 'app', None) if unknown."""
        hit = self._by_package.get(package)
        if hit is None:
            match = self.catalog.packages.match(package) if package else None
            if match:
                sdk = self.catalog.sdks[match[0]]
                hit = (sdk.id, sdk.name.en, match[1])
            else:
                hit = (None, APP, None)
            self._by_package[package] = hit
        return hit

    def owner_of_class(self, dotted_class: str) -> tuple[str | None, str]:
        """(sdk id, name) owning a class; the match also tries the full class name (prefix may be a class)."""
        package, _, _ = dotted_class.rpartition(".")
        sdk_id, name, _ = self.package_owner(package)
        if sdk_id is None:
            match = self.catalog.packages.match(dotted_class)
            if match:
                sdk = self.catalog.sdks[match[0]]
                return sdk.id, sdk.name.en
        return sdk_id, name

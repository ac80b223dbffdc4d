"""Who owns a class: a catalog SDK or library, the platform, the app itself, or unknown third-party code.

Order of the decision for a dotted class name:
1. platform prefixes (android, androidx, kotlin, Material, support libraries, Java) -> `platform`;
2. the app's own packages (manifest package, packages of its launcher/application/other components that no
   catalog prefix claims) win over a catalog prefix that is only a *shorter* prefix of them
   (an app `com.jiguang.jbox` is not Jiguang's SDK); a longer catalog prefix inside the app's package still wins;
3. the longest catalog package prefix -> `sdk:<id>` or `library:<id>` (catalog role);
4. code sharing the app's organisation prefix (its first two labels, unless an SDK vendor's) -> `app`;
5. obfuscated names (`a.b.a`, `w6.a`) -> `app` until their callers or fingerprints say otherwise (see callsites);
6. anything else -> `unknown_third_party:<prefix>`.
"""

from functools import lru_cache
from typing import NamedTuple

from candor.catalog.catalog import Catalog

APP = "app"
PLATFORM = "platform"
PLATFORM_PREFIXES = (
    "android.", "androidx.", "kotlin.", "kotlinx.", "java.", "javax.", "dalvik.", "j$.", "sun.", "libcore.",
    "com.google.android.material.", "android.support.", "com.android.internal.", "com.android.support.",
    "org.jetbrains.annotations.", "org.intellij.lang.", "com.google.errorprone.annotations.", "org.json.",
    "org.xmlpull.", "org.w3c.", "org.xml.sax.", "org.apache.http.", "org.apache.harmony.", "junit.", "org.junit.",
)  # fmt: skip


class Owner(NamedTuple):
    """The owner of a class: kind is sdk, library, platform, app or unknown."""

    kind: str
    sdk_id: str | None = None
    name: str = APP
    prefix: str | None = None

    @property
    def label(self) -> str:
        """sdk:<id>, library:<id>, platform, app or unknown_third_party:<prefix> (CallSite.owner)."""
        if self.kind in ("sdk", "library"):
            return f"{self.kind}:{self.sdk_id}"
        if self.kind == "unknown":
            return f"unknown_third_party:{self.prefix}"
        return self.kind


APP_OWNER = Owner(APP)
PLATFORM_OWNER = Owner(PLATFORM, name=PLATFORM)


def is_obfuscated(dotted_class: str) -> bool:
    """Renamed by an obfuscator: every package label at most 2 characters and a class name of at most 3 (`w6.a`, `a.b.a`)."""
    package, _, simple = dotted_class.split("$", 1)[0].rpartition(".")
    return len(simple) <= 3 and _renamed_package(package)


@lru_cache(maxsize=1 << 16)
def _renamed_package(package: str) -> bool:
    """Every label of the package at most 2 characters (the default package too); asked once per package."""
    return all(len(label) <= 2 for label in package.split(".")) if package else True


def organisation(package: str) -> str:
    """The first two labels of a package (`com.example` of `com.example.shop.ui`)."""
    return ".".join(package.split(".")[:2])


class Owners:
    """Cached class -> Owner attribution for one APK."""

    def __init__(self, catalog: Catalog, app_package: str | None = None, app_classes: tuple[str, ...] = ()) -> None:
        self.catalog = catalog
        self.app_prefixes: set[str] = set()
        if app_package:
            self.app_prefixes.add(app_package)
        for dotted in app_classes:
            package = dotted.rpartition(".")[0]
            if package and catalog.packages.match(dotted) is None and not dotted.startswith(PLATFORM_PREFIXES):
                self.app_prefixes.add(package)
        self._by_package: dict[str, Owner] = {}
        catalog_prefixes = {p for sdk in catalog.sdks.values() for p in sdk.packages}
        self._vendor_roots = {organisation(p) for p in catalog_prefixes}
        self._class_prefixes = catalog_prefixes | self.app_prefixes  # a class with such a name is decided on its own
        # code elsewhere under the app's organisation is the app's, unless that organisation is an SDK vendor's
        self._organisations = {organisation(p) for p in self.app_prefixes if "." in p} - self._vendor_roots

    def _app_prefix(self, dotted: str) -> str | None:
        name = dotted
        while name:
            if name in self.app_prefixes:
                return name
            cut = name.rfind(".")
            if cut < 0:
                return None
            name = name[:cut]
        return None

    def _catalog_owner(self, dotted: str) -> Owner | None:
        match = self.catalog.packages.match(dotted)
        if match is None:
            return None
        app_prefix = self._app_prefix(dotted)
        if app_prefix is not None and len(match[1]) <= len(app_prefix):
            return APP_OWNER  # the app's own namespace merely starts like a vendor prefix
        sdk = self.catalog.sdks[match[0]]
        return Owner(sdk.role, sdk.id, sdk.name.en, match[1])

    def unknown_prefix(self, package: str) -> str:
        """The prefix unknown code is grouped under: the organisation, one label deeper inside a vendor's namespace."""
        labels = package.split(".")
        depth = 2 if len(labels[0]) <= 3 else 1
        if ".".join(labels[:2]) in self._vendor_roots:
            depth += 1
        return ".".join(labels[:depth])

    def package_owner_of(self, package: str) -> Owner:
        """Owner of every class of a dotted package (class-name catalog prefixes are checked by `of_class`)."""
        hit = self._by_package.get(package)
        if hit is None:
            hit = self._decide(package)
            self._by_package[package] = hit
        return hit

    def _decide(self, package: str) -> Owner:
        dotted = package + "."
        if dotted.startswith(PLATFORM_PREFIXES):
            return PLATFORM_OWNER
        owner = self._catalog_owner(package) if package else None
        if owner is not None:
            return owner
        if self._app_prefix(package) is not None:
            return APP_OWNER
        if not package or organisation(package) in self._organisations or is_obfuscated(package + ".a"):
            return APP_OWNER
        return Owner("unknown", name=self.unknown_prefix(package), prefix=self.unknown_prefix(package))

    def of_class(self, dotted_class: str) -> Owner:
        """Owner of a class; a catalog prefix may also be a full class name (com.facebook.FacebookSdk)."""
        package = dotted_class.rpartition(".")[0]
        owner = self.package_owner_of(package)
        if owner.kind in ("app", "unknown"):
            exact = self._catalog_owner(dotted_class)
            if exact is not None and exact.kind != APP:
                return exact
        return owner

    def of_classes(self, dotted_classes: list[str]) -> list[Owner]:
        """`of_class` of every class; only a class whose full name is itself a catalog or app prefix can differ from
        its package's owner, so the others cost one lookup per package."""
        by_package = self._by_package
        exact = self._class_prefixes
        owners: list[Owner] = []
        for dotted in dotted_classes:
            if dotted in exact:
                owners.append(self.of_class(dotted))
                continue
            package = dotted.rpartition(".")[0]
            owner = by_package.get(package)
            owners.append(owner if owner is not None else self.package_owner_of(package))
        return owners

    # -- compatibility with the evidence counter ----------------------------------------
    def package_owner(self, package: str) -> tuple[str | None, str, str | None]:
        """(catalog id, name, matched prefix) for a dotted package; (None, name, None) when no catalog entry owns it."""
        owner = self.package_owner_of(package)
        if owner.kind in ("sdk", "library"):
            return owner.sdk_id, owner.name, owner.prefix
        return None, owner.name, None

    def owner_of_class(self, dotted_class: str) -> tuple[str | None, str]:
        """(catalog id, name) owning a class; (None, 'app' / 'platform' / prefix) otherwise."""
        owner = self.of_class(dotted_class)
        return (owner.sdk_id if owner.kind in ("sdk", "library") else None), owner.name


MIN_UNKNOWN_CLASSES = 3


def unknown_third_party(package_classes: dict[str, int], sites: list, owners: Owners) -> list:
    """Non-app code with no catalog entry that reads identifiers, grouped by prefix (at least MIN_UNKNOWN_CLASSES classes)."""
    from candor.model.static import UnknownThirdParty

    classes: dict[str, int] = {}
    for package, count in package_classes.items():
        owner = owners.package_owner_of(package)
        if owner.kind == "unknown":
            classes[owner.prefix] = classes.get(owner.prefix, 0) + count
    reads: dict[str, set[str]] = {}
    for site in sites:
        if site.collection and site.owner.startswith("unknown_third_party:"):
            reads.setdefault(site.owner.split(":", 1)[1], set()).add(site.identifier)
    return [UnknownThirdParty(prefix=prefix, classes=classes.get(prefix, 0), identifiers=sorted(ids))
            for prefix, ids in sorted(reads.items()) if classes.get(prefix, 0) >= MIN_UNKNOWN_CLASSES]  # fmt: skip

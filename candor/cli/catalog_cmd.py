"""`candor catalog list|show|search|permission|identifier`: browse the catalog."""

import argparse

from candor.catalog.schema import SdkEntry
from candor.catalog.session import current_catalog
from candor.cli.output import add_format_option, emit
from candor.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("catalog", help="browse the SDK / permission / identifier catalog")
    commands = parser.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="list SDKs")
    listing.add_argument("--category", help="only this category (push, analytics, ads...)")
    add_format_option(listing)
    listing.set_defaults(handler=list_sdks)

    show = commands.add_parser("show", help="one SDK with every signal that reveals it")
    show.add_argument("sdk", help="SDK id or any of its names")
    add_format_option(show)
    show.set_defaults(handler=show_sdk)

    search = commands.add_parser("search", help="find SDKs by a name as a policy spells it")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10)
    add_format_option(search)
    search.set_defaults(handler=search_sdks)

    permission = commands.add_parser("permission", help="a permission's protection level, or a policy phrase's permissions")
    permission.add_argument("name", help="android.permission.X, a constant (even OCR-damaged), or a phrase like 定位")
    add_format_option(permission)
    permission.set_defaults(handler=show_permission)

    identifier = commands.add_parser("identifiers", help="the identifier vocabulary")
    add_format_option(identifier)
    identifier.set_defaults(handler=list_identifiers)


def _sdk_line(sdk: SdkEntry) -> str:
    zh = f" / {sdk.name.zh}" if sdk.name.zh else ""
    return f"{sdk.id:<28} {sdk.category:<15} {sdk.name.en}{zh}"


def list_sdks(args: argparse.Namespace) -> int:
    sdks = [s for s in current_catalog().sdks.values() if not args.category or s.category == args.category]
    emit(sdks, args, lambda items: "".join(_sdk_line(s) + "\n" for s in items) + f"{len(items)} SDKs\n")
    return 0


def _find(query: str) -> SdkEntry:
    catalog = current_catalog()
    sdk = catalog.sdk(query)
    if sdk is None:
        hits = catalog.search(query, limit=1)
        sdk = hits[0].sdk if hits else None
    if sdk is None:
        raise InputError(f"no SDK in the catalog matches {query!r} (try: candor catalog search)")
    return sdk


def _sdk_detail(sdk: SdkEntry) -> str:
    lines = [_sdk_line(sdk)]
    for field in ("aliases", "packages", "components", "meta_data", "native_libs", "domains", "identifiers", "permissions"):
        values = getattr(sdk, field)
        if values:
            lines.append(f"  {field:<12} {', '.join(values)}")
    if sdk.vendor:
        lines.append(f"  {'vendor':<12} {sdk.vendor.en}{f' / {sdk.vendor.zh}' if sdk.vendor.zh else ''}")
    if sdk.privacy_url:
        lines.append(f"  {'privacy_url':<12} {sdk.privacy_url}")
    return "\n".join(lines) + "\n"


def show_sdk(args: argparse.Namespace) -> int:
    emit(_find(args.sdk), args, _sdk_detail)
    return 0


def search_sdks(args: argparse.Namespace) -> int:
    hits = current_catalog().search(args.query, limit=args.limit)
    payload = [{"score": h.score, "matched": h.alias, **h.sdk.model_dump(mode="json")} for h in hits]

    def text(items: list[dict]) -> str:
        if not items:
            return f"no SDK matches {args.query!r}\n"
        return "".join(f"{i['score']:.2f}  {i['id']:<28} {i['name']['en']}  (matched {i['matched']!r})\n" for i in items)

    emit(payload, args, text)
    return 0 if hits else 1


def show_permission(args: argparse.Namespace) -> int:
    catalog = current_catalog()
    resolved = catalog.resolve_permission(args.name)
    names = [resolved[0]] if resolved else catalog.permissions_for_phrase(args.name)
    if not names:
        raise InputError(f"{args.name!r} is neither a known permission nor a known policy phrase")
    rows = [
        {"permission": n, "level": catalog.protection_level(n), "confidence": resolved[1] if resolved else 1.0}
        for n in names
    ]
    emit(rows, args, lambda items: "".join(f"{r['permission']:<55} {r['level']}\n" for r in items))
    return 0


def list_identifiers(args: argparse.Namespace) -> int:
    entries = list(current_catalog().identifiers.values())
    emit(entries, args, lambda items: "".join(f"{i.id:<18} {i.name.en} / {i.name.zh}\n" for i in items))
    return 0

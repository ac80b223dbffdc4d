"""Dependencies point one way: model <- catalog <- sources <- reconcile <- formats <- CLI (<- tools).

Every module of the project is given a part and a layer below (by module name; the longest matching prefix wins, and a
module no rule covers fails the test). The test reads each module's imports with `ast` (lazy and TYPE_CHECKING imports
count too) and fails on:
- an import from a lower layer to a higher one;
- an import between two different parts of the catalog or sources layer (the sources never import each other;
  neither do the catalog and the history store);
- an import cycle between parts.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("candor", "declared", "apk_scan", "addons", "reports", "bench", "examples", "scripts")
LAYERS = ("model", "catalog", "sources", "reconcile", "formats", "cli", "tools")
APART = ("catalog", "sources")  # layers whose parts never import each other

# module-name prefix -> (part, layer)
RULES: dict[str, tuple[str, str]] = {
    # the shared model and the small utilities every part uses (errors, inputs, hashing, names, time, masking, files)
    "candor": ("model", "model"),
    "candor.model": ("model", "model"),
    # the catalog; the history store (SQLite) depends on the model only
    "candor.catalog": ("catalog", "catalog"),
    "candor.history": ("history", "catalog"),
    # the three evidence sources: policy -> DeclaredTable, APK -> StaticScan, flows -> TrafficObservation
    "declared": ("declared", "sources"),
    "apk_scan": ("apk_scan", "sources"),
    "addons": ("addons", "sources"),
    # the reconciler: evidence bundle -> findings -> AuditReport; release diff
    "reports": ("reports", "reconcile"),
    # output formats over built reports and batch results
    "reports.formats": ("reports", "formats"),
    "reports.summary": ("reports", "formats"),
    "reports.batch_summary": ("reports", "formats"),
    # the command line: argparse, files and stdout, and the glue between commands and history
    "candor.cli": ("cli", "cli"),
    "candor.schemas": ("cli", "cli"),
    "declared.cli": ("cli", "cli"),
    "apk_scan.cli": ("cli", "cli"),
    "addons.cli": ("cli", "cli"),
    "addons.candor_addon": ("cli", "cli"),  # the script mitmdump loads (-s addons/candor_addon.py)
    "reports.cli": ("cli", "cli"),
    # benchmarks, the demo and example builders, maintenance scripts
    "bench": ("bench", "tools"),
    "examples": ("examples", "tools"),
    "scripts": ("scripts", "tools"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "data" not in path.relative_to(ROOT).parts:
                found[module_name(path)] = path
    return found


def place(module: str) -> tuple[str, str] | None:
    """(part, layer) of a module: the rule with the longest prefix that matches it."""
    candidates = [prefix for prefix in RULES if module == prefix or module.startswith(prefix + ".")]
    return RULES[max(candidates, key=len)] if candidates else None


def imports(module: str, path: Path, modules: dict[str, Path]) -> Iterator[tuple[str, int]]:
    """(imported project module, line) for every import statement in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                yield name, node.lineno


def edges() -> list[tuple[str, str, int]]:
    modules = project_modules()
    found = {(module, target, line) for module, path in modules.items() for target, line in imports(module, path, modules)}
    return sorted(edge for edge in found if edge[0] != edge[1])


def test_every_module_has_a_layer() -> None:
    unplaced = [module for module in project_modules() if place(module) is None]
    assert not unplaced, f"give these modules a part and a layer in RULES: {unplaced}"


def test_no_import_points_up_or_sideways() -> None:
    problems = []
    for module, target, line in edges():
        (part, layer), (target_part, target_layer) = place(module), place(target)  # type: ignore[misc]
        if LAYERS.index(target_layer) > LAYERS.index(layer):
            problems.append(f"{module}:{line} ({layer}) imports {target} ({target_layer}): a lower layer imports a higher one")
        elif target_layer == layer and layer in APART and target_part != part:
            problems.append(f"{module}:{line} ({part}) imports {target} ({target_part}): two parts of the {layer} layer")
    assert not problems, "\n".join(problems)


def test_no_import_cycle_between_parts() -> None:
    graph: dict[str, set[str]] = {}
    for module, target, _ in edges():
        source_part, target_part = place(module)[0], place(target)[0]  # type: ignore[index]
        if source_part != target_part:
            graph.setdefault(source_part, set()).add(target_part)
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in path:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif len(path) < len(graph) + 1:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, "import cycles between parts:\n" + "\n".join(sorted(set(cycles)))

"""The house: the folders are the pipeline, imports point down only, no cycles, no module too big to read.

Imports inside functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "kenpo_plans"
# Lower first. A module may import modules of its own layer or below, never above.
LAYERS = [
    ("errors", "i18n", "labels", "textsafety", "resources", "signals", "helptext", "fileio", "plan.files"),
    ("plan",),
    ("git",),
    ("diff", "results"),
    ("merge", "checks"),
    ("importing",),
    ("render",),
    ("commands",),
    ("cli", "options", "__main__"),
]
MAX_LINES = 500


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            base = base[: len(base) - node.level + 1] + (node.module.split(".") if node.module else [])
            candidates = [".".join(base + [alias.name]) for alias in node.names] + [".".join(base)]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kenpo_plans"):
            base = node.module.split(".")[1:]
            candidates = [".".join(base + [alias.name]) for alias in node.names] + [".".join(base)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name.partition(".")[2] for alias in node.names if alias.name.startswith("kenpo_plans.")]
        else:
            continue
        for candidate in candidates:
            if candidate and candidate in known and candidate != name and not name.startswith(candidate + "."):
                targets.add(candidate)
                break
    return targets


def layer_of(name: str) -> int:
    best = None
    for index, members in enumerate(LAYERS):
        for member in members:
            if name == member or name.startswith(member + "."):
                if best is None or len(member) > best[1]:
                    best = (index, len(member))
    assert best is not None, f"{name} belongs to no layer: add it to LAYERS"
    return best[0]


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items() if name}


def test_imports_point_down_only():
    upward = sorted(f"{source} → {target}" for source, targets in graph().items() for target in targets
                    if layer_of(target) > layer_of(source))
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_module_over_500_lines():
    long = {name: n for name, path in modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_layer_table_names_real_modules():
    known = modules()
    for members in LAYERS:
        for member in members:
            assert any(name == member or name.startswith(member + ".") for name in known), member


def package_of(name: str) -> str:
    return name.split(".")[0] if "." in name else ""


def test_no_private_name_is_imported_across_packages():
    """A leading underscore means "this package's own business": another package reaching in couples the two."""
    known = modules()
    crossing = []
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            base = package.split(".") if package else []
            source = ".".join(base[: len(base) - node.level + 1] + (node.module.split(".") if node.module else []))
            private = [a.name for a in node.names if a.name.startswith("_") and a.name != "_"
                       and not a.name.startswith("__")]
            if private and package_of(source) != package_of(name):
                crossing.append(f"{name} imports {', '.join(private)} from {source}")
    assert crossing == []


def test_the_readme_names_every_module_in_both_languages():
    """The architecture section is the map a new developer reads first: a module it does not name is one they
    will not find (or will write again)."""
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    for heading in ("### コードの構成", "### How the code is laid out"):
        start = readme.index(heading)
        block = readme[start:readme.index("```", readme.index("```", start) + 3)]
        unnamed = sorted(name for name in modules() if name and name != "__main__"
                         and not re.search(rf"(?<!\w){re.escape(name.rpartition('.')[2])}(?!\w)", block))
        assert unnamed == [], heading


def test_every_package_ships_in_the_wheel():
    """setup.cfg lists the packages by name (schemas/ and templates/ are mapped in from the top level): a new
    package left off the list installs nowhere, and only the slow wheel test would notice."""
    import configparser

    config = configparser.ConfigParser()
    config.read(PACKAGE.parent / "setup.cfg", encoding="utf-8")
    listed = set(config["options"]["packages"].split())
    packages = {"kenpo_plans." + ".".join(path.parent.relative_to(PACKAGE).parts) if path.parent != PACKAGE
                else "kenpo_plans" for path in PACKAGE.rglob("__init__.py")}
    assert packages - listed == set()

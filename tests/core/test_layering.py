"""The architecture contract of DEVELOPERS-NOTES.md, checked on the import graph.

Every import counts, including those inside functions: a lazy import is still a dependency, it only
moves the cost. The checker is run on a small fixture package first, with a deliberately wrong import,
to show that it can fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("translator", "simulator")
#: the translator core: what a library user imports to translate; it must not need the simulator
CORE = (
    "translator.ingest",
    "translator.ir",
    "translator.workload",
    "translator.targets",
    "translator.introspect",
    "translator.sources",
    "translator.tenancy",
    "translator.dialects",
)
#: the only places allowed to combine translator and simulator
ORCHESTRATION = ("translator.cli", "translator.plan")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:`, which type checkers read and Python never runs."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in (child, *runtime_nodes(child)))
            continue
        yield node
        yield from runtime_nodes(node)


def imports_of(root: Path, path: Path, known: set[str]) -> Iterator[str]:
    """The project modules `path` imports, resolved to the longest known module name.

    `from pkg import mod` depends on `pkg.mod`, not on all of `pkg`: a parent package is imported on the
    way, as it is for every module, and is no edge of its own.
    """
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    files = [p for package in packages for p in (root / package).rglob("*.py")]
    known = {module_name(root, p) for p in files}
    return {module_name(root, p): set(imports_of(root, p, known)) for p in files}


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def target_packages(graph: dict[str, set[str]]) -> set[str]:
    """`translator.targets.X` for every target package X (a folder; `base`, `record`... are modules)."""
    return {".".join(m.split(".")[:3]) for m in graph if m.startswith("translator.targets.") and m.count(".") >= 3}


def violations(graph: dict[str, set[str]]) -> list[str]:
    packages = target_packages(graph) | {
        m for m in graph if m.startswith("translator.targets.") and any(other.startswith(m + ".") for other in graph)
    }

    def target_of(module: str) -> str | None:
        return next((p for p in packages if module == p or module.startswith(p + ".")), None)

    found = []
    for module, deps in sorted(graph.items()):
        for dep in sorted(deps):
            if within(module, ("simulator",)) and within(dep, ("translator",)):
                found.append(f"{module} imports {dep}: the simulator never imports the translator")
            if within(dep, ("simulator",)) and within(module, ("translator",)) and not within(module, ORCHESTRATION):
                found.append(
                    f"{module} imports {dep}: only {', '.join(ORCHESTRATION)} combine translator and simulator"
                )
        own = target_of(module)
        if own is None:
            continue
        for dep in sorted(reachable(graph, module)):
            other = target_of(dep)
            if other is not None and other != own:
                found.append(f"{module} reaches {dep}: targets never import each other")
            if within(dep, ("translator.introspect",)):
                found.append(f"{module} reaches {dep}: targets never import introspection")
            if within(dep, ("simulator",)):
                found.append(f"{module} reaches {dep}: the translator core never imports the simulator")
    for module in sorted(graph):
        if within(module, CORE) and target_of(module) is None:
            found.extend(
                f"{module} reaches {dep}: the translator core never imports the simulator"
                for dep in sorted(reachable(graph, module))
                if within(dep, ("simulator",))
            )
    found.extend("import cycle: " + " <-> ".join(c) for c in cycles(graph))
    return found


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


FIXTURE = {
    "translator/__init__.py": "",
    "translator/ir.py": "",
    "translator/cli/__init__.py": "import simulator.engine\n",
    "translator/targets/__init__.py": "",
    "translator/targets/alpha/__init__.py": "from translator.ir import *\n",
    "translator/targets/alpha/rules.py": "",
    "translator/targets/base.py": "",
    "translator/targets/beta/__init__.py": "from translator.targets import base\n",
    "translator/targets/beta/rules.py": "",
    "translator/introspect/__init__.py": "",
    "simulator/__init__.py": "",
    "simulator/engine.py": "import numpy\n",
}


def test_the_checker_passes_a_clean_fixture(tmp_path: Path) -> None:
    write(tmp_path, FIXTURE)
    assert violations(import_graph(tmp_path, PACKAGES)) == []


@pytest.mark.parametrize(
    ("module", "line", "complaint"),
    [
        ("simulator/engine.py", "from translator import ir\n", "the simulator never imports the translator"),
        (
            "translator/targets/alpha/__init__.py",
            "def f():\n    from translator.targets.beta import x\n",
            "targets never import each other",
        ),
        (
            "translator/targets/alpha/__init__.py",
            "from translator import helper\n",
            "targets never import introspection",
        ),
        ("translator/ir.py", "import simulator.engine\n", "only translator.cli, translator.plan combine"),
        ("translator/ir.py", "from translator.targets import alpha\n", "import cycle"),
    ],
)
def test_the_checker_catches_a_wrong_import(tmp_path: Path, module: str, line: str, complaint: str) -> None:
    files = dict(FIXTURE, **{"translator/helper.py": "import translator.introspect\n"})
    files[module] = files[module] + line
    write(tmp_path, files)
    found = violations(import_graph(tmp_path, PACKAGES))
    assert any(complaint in v for v in found), found


def test_the_project_keeps_its_layering() -> None:
    assert violations(import_graph(ROOT, PACKAGES)) == []

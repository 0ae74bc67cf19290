"""The house rules that code review alone would let slip: no import cycle (function-level
imports included), core imports no domain, commits only at the edge, no host clock."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "compliance"
# Where a commit belongs: the unit of work, and the runners that commit per job or per
# message by design (each says why where it does it).
COMMIT_ALLOWED = {"compliance/core/uow.py", "compliance/core/jobs.py",
                  "compliance/notifications/outbox.py"}
# Function-level imports of our own modules that stay, each for a reason given beside it.
LAZY_ALLOWED = {
    ("compliance", "compliance.app"),  # `create_app` resolved lazily (see compliance/__init__)
    # WeasyPrint (3 s to import) only when a PDF is rendered; in the render child, only once
    # its memory limit is set, so the library's own memory counts against it.
    ("compliance.core.pdf.render", "compliance.core.pdf.fetcher"),
    ("compliance.core.pdf.worker", "compliance.core.pdf.fetcher"),
    # pikepdf (a quarter of a second to import) only where a PDF is opened: the limited child
    # and the evidence builder; the web app and the command line import these modules too.
    ("compliance.core.pdf.inspect", "compliance.core.pdf.sanitise"),
    ("compliance.core.pdf.stamp", "compliance.core.pdf.sanitise"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, package: str, modules: dict):
    """(target module, at function level?) for each import of one of our modules."""
    found = []

    def visit(node, depth):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            inner = depth + isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((a.name, depth > 0) for a in child.names if a.name in modules)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    if target in modules:
                        found.append((target, depth > 0))
                    elif base in modules:
                        found.append((base, depth > 0))
            visit(child, inner)

    visit(tree, 0)
    return found


def _graph():
    modules = _modules()
    edges: dict[str, set[str]] = {name: set() for name in modules}
    lazy: list[tuple[str, str]] = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for target, in_function in _imports(ast.parse(path.read_text()), package, modules):
            if target != name:
                edges[name].add(target)
            if in_function:
                lazy.append((name, target))
    return edges, lazy


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], [0]

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return result


def test_no_import_cycle_among_our_modules():
    edges, _lazy = _graph()
    assert _cycles(edges) == []


def test_function_level_imports_are_only_the_documented_ones():
    _edges, lazy = _graph()
    assert sorted(set(lazy) - LAZY_ALLOWED) == []


def test_core_imports_no_domain():
    edges, _lazy = _graph()
    leaks = sorted((source, target) for source, targets in edges.items()
                   if source.startswith("compliance.core") for target in targets
                   if not target.startswith("compliance.core"))
    assert leaks == []


def test_commits_happen_only_at_the_edge():
    found = sorted(str(path.relative_to(ROOT)) for path in PACKAGE.rglob("*.py")
                   if "session.commit(" in path.read_text())
    assert set(found) <= COMMIT_ALLOWED, found


def test_no_module_reads_the_host_clock():
    pattern = re.compile(r"date\.today\(\)|datetime\.now\(|datetime\.utcnow\(|time\.time\(\)")
    found = sorted(str(path.relative_to(ROOT)) for path in [*PACKAGE.rglob("*.py"),
                                                            *(ROOT / "tests").rglob("*.py")]
                   if path.name != "clock.py" and path != Path(__file__)
                   and pattern.search(path.read_text()))
    assert found == []

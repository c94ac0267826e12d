"""The engine's shape holds: imports only go downwards through its layers, no module imports itself back, and no
module keeps state of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "minutebook"
# Each layer may import the ones before it, never the ones after: what a page shows is decided without knowing how
# it is built, and how it is built without knowing who asked.
LAYERS = ("base", "content", "site", "build", "shell")
MUTABLE = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)


def modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 2 and parts[1] in LAYERS else 0


def imports(module: str, path: Path) -> set[str]:
    """The package's own modules that `module` imports, at any depth of its code (imports inside functions too)."""
    known = modules()
    found = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("minutebook")}
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(package, node.module or "", node.level)
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {name for name in found if name in known and name != module}


def _resolve(package: str, name: str, level: int) -> str:
    if level == 0:
        return name
    parts = package.split(".")
    base = parts[: len(parts) - level + 1]
    return ".".join([*base, name] if name else base)


def upward(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} ({LAYERS[layer(module)]}) imports {target} ({LAYERS[layer(target)]})"
        for module, targets in graph.items()
        for target in sorted(targets)
        if layer(target) > layer(module)
    ]


def cycles(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for start in graph:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for target in graph.get(node, ()):
                if target == start:
                    found.append(" → ".join([*trail, start]))
                elif target not in trail and len(trail) < len(graph):
                    stack.append((target, [*trail, target]))
    return found


def the_graph() -> dict[str, set[str]]:
    return {module: imports(module, path) for module, path in modules().items()}


def test_imports_only_go_down_the_layers():
    assert upward(the_graph()) == []


def test_no_module_imports_itself_back():
    assert cycles(the_graph()) == []


def test_no_module_keeps_state_of_its_own():
    """No `global`, and no module-level name bound to a mutable container unless it is a CONSTANT never changed."""
    problems = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += [f"{module}:{node.lineno}: global" for node in ast.walk(tree) if isinstance(node, ast.Global)]
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            value = getattr(node, "value", None)
            for target in targets:
                name = target.id if isinstance(target, ast.Name) else ""
                if isinstance(value, MUTABLE) and not name.isupper():
                    problems.append(f"{module}:{node.lineno}: module-level {name} holds a mutable value")
    assert problems == []


def test_the_checks_above_can_fail():
    """They see the package's real imports, and they find an upward import or a cycle when there is one."""
    graph = the_graph()
    assert "minutebook.build.pipeline" in graph["minutebook.shell.commands"]
    assert "minutebook.content.published" in graph["minutebook.build.model"]
    assert upward({"minutebook.content.model": {"minutebook.site.urls"}}) == [
        "minutebook.content.model (content) imports minutebook.site.urls (site)"
    ]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == ["a → b → a", "b → a → b"]

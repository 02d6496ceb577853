"""The packages import one another only as docs/explanation/architecture.md allows, and nothing imports in a circle.

The table of allowed imports lives in the architecture page (its "may
import" column), so the page and this test cannot drift apart: the test
reads every ``import`` statement of ``svcsim/`` (also those inside
functions, which are imports all the same) and checks each one that
crosses a package boundary against that table.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "svcsim"
PAGE = ROOT / "docs" / "explanation" / "architecture.md"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str | None = None) -> set[str]:
    """The svcsim modules ``path`` (module ``name``) imports, as dotted names (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = (name or _module_name(path)).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "svcsim"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "svcsim":
                continue
            for alias in node.names:  # `from svcsim.x import y` may name a submodule y
                sub = f"{base}.{alias.name}"
                found.add(sub if _exists(sub) else base)
    return found


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _package(module: str) -> str:
    """The unit the table speaks of: ``svcsim.rules.engine`` -> ``rules``; the top module is ``svcsim``."""
    parts = module.split(".")
    return "svcsim" if len(parts) == 1 else parts[1]


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def allowed_imports() -> dict[str, set[str]]:
    """The page's table: package -> the packages it may import (``*``: any)."""
    table: dict[str, set[str]] = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        name = cells[0].strip("`").removeprefix("svcsim/").removesuffix("/").removesuffix(".py") or "svcsim"
        table[name] = set(re.findall(r"`([^`]+)`", cells[2])) if cells[2] not in ("-", "") else set()
    return table


def test_the_table_names_every_package():
    table = allowed_imports()
    packages = {_package(m) for m in _graph()}
    assert packages == set(table), (
        f"in the code but not in {PAGE.name}: {sorted(packages - set(table))}; "
        f"in the page but not in the code: {sorted(set(table) - packages)}")


def test_every_import_is_allowed():
    table = allowed_imports()
    wrong = []
    for module, targets in _graph().items():
        mine = _package(module)
        for target in targets:
            theirs = _package(target)
            if theirs != mine and "*" not in table[mine] and theirs not in table[mine]:
                wrong.append(f"{module} imports {target} ({mine} may import: {sorted(table[mine]) or 'nothing'})")
    assert not wrong, "\n".join(wrong)


def test_the_allowed_imports_have_no_circle():
    """The table itself is layered: no package may reach itself through other packages."""
    table = allowed_imports()
    for start in table:
        seen, todo = set(), [t for t in table[start] if t != "*"]
        while todo:
            name = todo.pop()
            assert name != start, f"{start} may reach itself through {sorted(seen)}"
            if name not in seen:
                seen.add(name)
                todo += [t for t in table.get(name, ()) if t != "*"]


def test_no_module_imports_in_a_circle():
    """No svcsim module reaches itself through its imports (lazy imports inside functions count)."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for name in graph:
        if name not in index:
            visit(name)
    assert not circles, "modules importing in a circle: " + "; ".join(" <-> ".join(c) for c in circles)


def test_the_reader_sees_lazy_and_relative_imports(tmp_path):
    """The import reader itself: imports inside functions, relative ones and submodules named in a from-import."""
    source = tmp_path / "engine.py"
    source.write_text(
        "import os\n"
        "from . import results\n"
        "from ..calendar import ServiceCalendar\n"
        "def later():\n"
        "    from svcsim.eventlog import time\n"
        "    import svcsim.metrics\n",
        encoding="utf-8")
    found = _imports(source, "svcsim.rules.engine")
    assert found == {"svcsim.rules.results", "svcsim.calendar", "svcsim.eventlog.time", "svcsim.metrics"}

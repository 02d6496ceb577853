"""The public API is what __init__ says it is, and the engine reads only the event log."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import svcsim

PACKAGE = Path(svcsim.__file__).parent


def test_all_is_true():
    """Every name in __all__ exists, and every public subpackage keeps its own __all__ true."""
    for name in svcsim.__all__:
        assert hasattr(svcsim, name), name
    for info in pkgutil.walk_packages([str(PACKAGE)], "svcsim."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", []):
            assert hasattr(module, name), f"{info.name}.{name}"


def test_rules_and_metrics_import_no_simulation():
    """The rule engine and the metrics read only the event log: no simpy, no processes."""
    pattern = re.compile(r"^\s*(import simpy|from simpy|from svcsim\.processes|import svcsim\.processes)", re.M)
    for folder in ("rules", "metrics"):
        for path in (PACKAGE / folder).rglob("*.py"):
            assert not pattern.search(path.read_text()), path


def test_help_opens_with_a_quick_start_whose_names_exist():
    import re

    import svcsim

    lines = svcsim.__doc__.splitlines()
    start = lines.index("Quick start::")
    assert start <= 3
    used = set(re.findall(r"svcsim\.(\w+)\(", "\n".join(lines[start:start + 12])))
    assert used and used <= set(svcsim.__all__), used - set(svcsim.__all__)


def test_with_changes_takes_a_scenario_name_or_refuses_in_words():
    import pytest

    import svcsim

    assert svcsim.with_changes("tiny", {"horizon_days": 3}).horizon_days == 3
    with pytest.raises(TypeError, match="with_changes\\(\\): scenario must be a Scenario, a built-in name or a path"):
        svcsim.with_changes(42, {"horizon_days": 3})

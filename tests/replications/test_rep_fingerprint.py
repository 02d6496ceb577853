"""The replication cache's code fingerprint covers every module a replication can run: a change anywhere changes the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import svcsim
from svcsim.replications.cache import code_fingerprint, fingerprint_of

PACKAGE = Path(svcsim.__file__).resolve().parent


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("pkg") / "svcsim"
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_copy_has_the_same_fingerprint(copy):
    assert fingerprint_of(copy) == code_fingerprint()


@pytest.mark.parametrize("relative", [
    "calendar/service.py", "eventlog/log.py", "rules/engine.py", "rules/default_rules.toml",
    "processes/field_engineers.py", "simulation/world.py", "scenarios/baseline.toml", "streams.py",
    "scenario/model.py", "replications/metrics.py", "metrics/stock.py",
])
def test_a_change_to_any_model_file_changes_the_key(copy, relative):
    """calendar/ and eventlog/ were left out of the hand-kept list this replaced."""
    path = copy / relative
    before = fingerprint_of(copy)
    original = path.read_bytes()
    try:
        path.write_bytes(original + b"\n# changed\n")
        assert fingerprint_of(copy) != before
    finally:
        path.write_bytes(original)


def test_every_python_module_outside_the_command_line_is_covered(copy):
    """Derived from the tree, not listed: each module of the package counts (the CLI only prints)."""
    before = fingerprint_of(copy)
    missed = []
    for path in sorted(copy.rglob("*.py")):
        if path.relative_to(copy).parts[0] == "cli":
            continue
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        if fingerprint_of(copy) == before:
            missed.append(str(path.relative_to(copy)))
        path.write_bytes(original)
    assert not missed

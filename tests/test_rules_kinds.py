"""A rule kind has one owner: the registry in svcsim.rules.kinds is what the loader, engine, table and oracle read."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from logs import local, make_log

from svcsim import InputError
from svcsim.rules import check, load_rules, parse_rules
from svcsim.rules.kinds import KIND_NAMES, KINDS, kind_of
from svcsim.rules.load import RulesFile
from svcsim.rules.oracle import check_oracle
from svcsim.rules.spec import RuleSpec

ROOT = Path(__file__).resolve().parents[1]


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def test_every_rule_spec_is_registered_once_under_its_kind_tag():
    """Each spec class is one kind; its name is its ``kind`` tag; no two kinds share a name or a class."""
    assert {kind.spec for kind in KINDS} == _all_subclasses(RuleSpec)
    assert len(set(KIND_NAMES)) == len(KINDS)
    assert KIND_NAMES == tuple(kind.name for kind in KINDS) == ("duration", "ladder", "recurrence", "forbidden")


def test_the_loader_accepts_exactly_the_registered_kinds():
    """The rules file's union of rules is built from the registry, and its error message lists the kinds."""
    mapping = RulesFile.model_json_schema()["properties"]["rules"]["items"]["discriminator"]["mapping"]
    assert sorted(mapping) == sorted(KIND_NAMES)  # the schema lists its tags in its own (sorted) order
    with pytest.raises(InputError) as caught:
        parse_rules('[[rules]]\nid = "x"\nkind = "no_such_kind"\n', source="rules.toml")
    listed = ", ".join(f"'{n}'" for n in KIND_NAMES[:-1]) + f" or '{KIND_NAMES[-1]}'"
    assert f"expected {listed}" in str(caught.value)


def test_the_result_tables_kind_categories_are_the_registered_kinds():
    """The ``kind`` column has every registered kind as a category, in registry order, rows or no rows."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "dispatched", "2026-03-02 10:00")],
                   {"T1": {"case_type": "ticket", "zone": "city", "fault": "software", "device_id": "D1"}})
    full = check(log, as_of=local("2026-03-31 00:00")).results
    empty = check(log, as_of=local("2026-03-01 00:00")).results
    for results in (full, empty):
        assert tuple(results["kind"].cat.categories) == KIND_NAMES


def test_the_engine_and_the_oracle_dispatch_through_the_registry():
    """Every built-in rule finds its kind; the oracle runs each kind's own restatement."""
    rules = load_rules()
    assert {kind_of(rule).name for rule in rules.rules} == set(KIND_NAMES)
    log = make_log([("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "dispatched", "2026-03-02 10:00"),
                    ("T1", "completed", "2026-03-02 12:00")],
                   {"T1": {"case_type": "ticket", "zone": "city", "fault": "software", "device_id": "D1"}})
    rows = check_oracle(log, rules, as_of=local("2026-03-31 00:00"))
    assert set(rows["rule_id"]) <= set(rules.ids()) and {"dispatch-4h", "software-72h"} <= set(rows["rule_id"])


def test_the_reference_documents_every_registered_kind():
    """docs/reference/rules.md has a section per kind and lists them in the ``kind`` key's row."""
    text = (ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    assert tuple(re.findall(r'^## `kind = "([a-z_]+)"`', text, flags=re.M)) == KIND_NAMES
    row = next(line for line in text.splitlines() if line.startswith("| `kind` |"))
    assert tuple(re.findall(r"`([a-z_]+)`", row.split("|")[3])) == KIND_NAMES


def test_the_rule_engine_imports_no_simulation_in_any_subfolder():
    """svcsim/rules and its subpackages (columnar/) read only the event log: no simpy, no processes."""
    pattern = re.compile(r"^\s*(import simpy|from simpy|from svcsim\.processes|import svcsim\.processes)", re.M)
    for path in (ROOT / "svcsim" / "rules").rglob("*.py"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path


def test_summary_titles_come_from_each_rules_own_titles():
    """A ladder's milestones are titled by themselves, else by the ladder (RuleSpec.titles)."""
    rules = load_rules()
    result = check(make_log([("I1", "sent_to_vendor", "2026-03-02 09:00")], {"I1": {"case_type": "item"}}),
                   rules, as_of=local("2026-03-31 00:00"))
    titles = result.summary.set_index("rule_id")["title"]
    assert titles.to_dict() == rules.titles() and isinstance(titles, pd.Series)

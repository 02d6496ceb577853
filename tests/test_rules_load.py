"""A malformed rules file gets one line naming the file, the rule id, the field and what was expected."""

from __future__ import annotations

import pytest

from svcsim import InputError
from svcsim.rules import load_rules, parse_rules

RULE = """
[[rules]]
id = "dispatch-4h"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
target = "4h"
"""


def message(text: str) -> str:
    with pytest.raises(InputError) as caught:
        parse_rules(text, source="rules.toml")
    return str(caught.value)


def test_a_valid_rule_parses():
    """The plain rule is accepted (so each failure below is caused by its one change)."""
    assert parse_rules(RULE).ids() == ["dispatch-4h"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('target = "4h"', 'target = "4 hours"'),
         "rules.toml: rule 'dispatch-4h': field 'target': '4 hours' is not a duration such as \"4h\", \"20min\", \"3d\" or \"1h30min\""),
        (('stop = "dispatched"', 'stop = "dispatchd"'),
         "rules.toml: rule 'dispatch-4h': unknown activity 'dispatchd' (did you mean 'dispatched'?); expected an activity of the vocabulary (docs/reference/eventlog.md) or one listed in [activities] extra"),
        (('kind = "duration"', 'kind = "deadline"'),
         "rules.toml: rule 'dispatch-4h': field 'kind': unknown rule kind 'deadline'; expected 'duration', 'ladder', 'recurrence' or 'forbidden'"),
        (('target = "4h"', ''),
         "rules.toml: rule 'dispatch-4h': field 'target': is missing; expected a value (see docs/reference/rules.md)"),
        (('target = "4h"', 'target = "4h"\ntarget_hours = 4'),
         "rules.toml: rule 'dispatch-4h': field 'target_hours': is not a known field; expected only the fields of docs/reference/rules.md"),
        (('target = "4h"', 'target = "4h"\npause = "customer_delay"'),
         "rules.toml: rule 'dispatch-4h': 'pause' and 'resume' go together: a pause that never resumes stops the clock for good"),
        (('stop = "dispatched"', 'stop = "returned_from_vendor"'),
         "rules.toml: rule 'dispatch-4h': field 'stop': the start ['ticket_logged'] belongs to ['ticket'] cases but the stop ['returned_from_vendor'] to ['item'] cases, so the clock can never stop; expected start and stop activities of one case type"),
        (('target = "4h"', 'target = "4h"\nbasis = "calendar"'),
         "rules.toml: rule 'dispatch-4h': field 'calendar': needs a service calendar (calendar basis, 'or_same_day' or a holiday condition) but none is set; expected a 'calendar' here or at the top of the file"),
        (('target = "4h"', 'target = "4h"\napplies_to = { field = "zone" }'),
         "rules.toml: rule 'dispatch-4h': field 'applies_to': a 'field' condition needs exactly one of 'equals', 'in' or 'present'"),
    ],
)
def test_malformed_rule_messages(change, expected):
    """Each planted mistake gives exactly its documented message."""
    old, new = change
    assert message(RULE.replace(old, new)) == expected


def test_a_start_that_can_never_attach_to_its_cases():
    """applies_to says items, but the start only happens on tickets."""
    text = RULE.replace('target = "4h"', 'target = "4h"\napplies_to = { field = "case_type", equals = "item" }')
    assert "can never attach" in message(text)


def test_two_rules_with_one_id():
    assert message(RULE + RULE) == "rules.toml: rule 'dispatch-4h': field 'id': the id 'dispatch-4h' is used twice; expected unique rule and milestone ids"


def test_broken_toml():
    assert message("[[rules]\n").startswith("rules.toml: not valid TOML (")


def test_missing_rules_file(tmp_path):
    with pytest.raises(InputError, match="no such file; expected a rules file"):
        load_rules(tmp_path / "nope.toml")


def test_extra_activities_are_allowed_when_declared():
    """A live log's own activities can be named once listed under [activities] extra."""
    text = '[activities]\nextra = ["Resolved"]\n' + RULE.replace('stop = "dispatched"', 'stop = "Resolved"')
    assert parse_rules(text).ids() == ["dispatch-4h"]

"""Golden cases for ladder (vendor follow-ups) and recurrence (fixes that must hold) rules."""

from __future__ import annotations

import pandas as pd
import pytest
from logs import local, make_log
from rulesets import rules

from svcsim.rules import check

VENDOR = rules("""
[[rules]]
id = "vendor"
kind = "ladder"
start = "sent_to_vendor"
stop = ["returned_from_vendor", "scrapped"]
[[rules.milestones]]
id = "vendor-3d"
after = "3d"
requires = "vendor_confirmed"
[[rules.milestones]]
id = "vendor-7d"
after = "7d"
requires = "user_informed"
[[rules.milestones]]
id = "vendor-30d"
after = "30d"
requires = ["returned_from_vendor", "scrapped"]
repeat_every = "7d"
""")


def statuses(result, case_id: str) -> list[tuple[str, int, str, int]]:
    r = result.results[result.results["case_id"] == case_id]
    return list(zip(r["rule_id"].astype(str), r["repeat"], r["status"].astype(str), r["level"], strict=True))


def test_every_milestone_met():
    """Confirmed on day 2, user told on day 6, back on day 20: all met, no escalation."""
    log = make_log([
        ("I1", "sent_to_vendor", "2026-03-02 10:00"),
        ("I1", "vendor_confirmed", "2026-03-04 10:00"),
        ("I1", "user_informed", "2026-03-08 10:00"),
        ("I1", "returned_from_vendor", "2026-03-22 10:00"),
    ])
    assert statuses(check(log, VENDOR), "I1") == [
        ("vendor-3d", 1, "met", 0), ("vendor-7d", 1, "met", 0), ("vendor-30d", 1, "met", 0),
    ]


def test_exactly_three_days_is_met_and_a_minute_later_is_breached():
    """Milestones count calendar days; a boundary value is met."""
    on_time = make_log([("I1", "sent_to_vendor", "2026-03-02 10:00"), ("I1", "vendor_confirmed", "2026-03-05 10:00")])
    late = make_log([("I1", "sent_to_vendor", "2026-03-02 10:00"), ("I1", "vendor_confirmed", "2026-03-05 10:01")])
    as_of = local("2026-03-06 00:00")
    assert statuses(check(on_time, VENDOR, as_of=as_of), "I1")[0] == ("vendor-3d", 1, "met", 0)
    assert statuses(check(late, VENDOR, as_of=as_of), "I1")[0] == ("vendor-3d", 1, "breached", 1)


def test_open_item_past_30_days_escalates_every_week_until_it_returns():
    """44 days out with nothing done: every milestone missed, and the 30-day one twice more."""
    log = make_log([("I1", "sent_to_vendor", "2026-03-02 10:00")])
    result = check(log, VENDOR, as_of=local("2026-04-15 10:01"))
    assert statuses(result, "I1") == [
        ("vendor-3d", 1, "breached_open", 1),
        ("vendor-7d", 1, "breached_open", 2),
        ("vendor-30d", 1, "breached_open", 3),
        ("vendor-30d", 2, "breached_open", 4),  # day 37
        ("vendor-30d", 3, "breached_open", 5),  # day 44
    ]
    esc = result.escalations
    assert len(esc) == 1  # one row per case and ladder: its worst miss
    assert (esc.loc[0, "rule_id"], esc.loc[0, "level"]) == ("vendor-30d", 5)
    assert esc.loc[0, "overdue"] == pd.Timedelta(minutes=1)


def test_milestones_not_yet_due_are_running_and_a_late_event_is_breached():
    """Day 5: confirmed late on day 4 (breached); the 7-day step is still running."""
    log = make_log([("I1", "sent_to_vendor", "2026-03-02 10:00"), ("I1", "vendor_confirmed", "2026-03-06 10:00")])
    result = check(log, VENDOR, as_of=local("2026-03-07 10:00"))
    assert statuses(result, "I1") == [
        ("vendor-3d", 1, "breached", 1), ("vendor-7d", 1, "running", 0), ("vendor-30d", 1, "running", 0),
    ]


def test_a_loop_that_stopped_early_makes_later_milestones_not_applicable():
    """Scrapped on day 5 before the user was told: the 7-day step never fell due."""
    log = make_log([
        ("I1", "sent_to_vendor", "2026-03-02 10:00"),
        ("I1", "vendor_confirmed", "2026-03-03 10:00"),
        ("I1", "scrapped", "2026-03-07 10:00"),
    ])
    assert statuses(check(log, VENDOR), "I1") == [
        ("vendor-3d", 1, "met", 0), ("vendor-7d", 1, "not_applicable", 0), ("vendor-30d", 1, "met", 0),
    ]


def test_returned_late_counts_the_weeks_it_was_overdue():
    """Back on day 40: the 30-day step breached, plus its day-37 repetition; closed, so breached not open."""
    log = make_log([("I1", "sent_to_vendor", "2026-03-02 10:00"), ("I1", "returned_from_vendor", "2026-04-11 10:00")])
    rows = statuses(check(log, VENDOR), "I1")
    assert rows[2:] == [("vendor-30d", 1, "breached", 3), ("vendor-30d", 2, "breached", 4)]


SOFTWARE = rules("""
[[rules]]
id = "software-72h"
kind = "recurrence"
applies_to = { field = "fault", equals = "software" }
after = "completed"
repeat = "ticket_logged"
key = ["device_id", "fault"]
window = "72h"
""")


def fix_then(repeat_at: str | None, *, device: str | None = "D1", fault: str = "software"):
    events = [("T1", "ticket_logged", "2026-03-02 09:00"), ("T1", "completed", "2026-03-02 12:00")]
    cases = {"T1": {"device_id": device, "fault": "software"}}
    if repeat_at is not None:
        events.append(("T2", "ticket_logged", repeat_at))
        cases["T2"] = {"device_id": "D1", "fault": fault}
    return make_log(events, cases)


@pytest.mark.parametrize(
    ("repeat_at", "as_of", "status"),
    [
        ("2026-03-05 11:59", None, "failed"),
        ("2026-03-05 12:00", None, "held"),  # exactly 72 h later: a boundary value is met
        (None, "2026-03-04 12:00", "pending"),  # window still open
        (None, "2026-03-05 12:00", "held"),
    ],
)
def test_software_fix_holds_72_hours(repeat_at, as_of, status):
    """A software fix fails if the same device logs the same fault within 72 hours."""
    result = check(fix_then(repeat_at), SOFTWARE, as_of=None if as_of is None else local(as_of))
    r = result.results[result.results["case_id"] == "T1"].iloc[0]
    assert r["status"] == status
    assert r["due"] == local("2026-03-05 12:00")
    if status == "failed":
        assert r["related_case_id"] == "T2"


def test_another_fault_on_the_same_device_is_not_a_repeat():
    """The key is device and fault: a hardware ticket does not fail a software fix."""
    result = check(fix_then("2026-03-03 09:00", fault="hardware"), SOFTWARE, as_of=local("2026-03-06 00:00"))
    assert result.results.iloc[0]["status"] == "held"


def test_a_fix_without_a_device_is_not_applicable():
    """No device id: nothing to match a repeat on."""
    result = check(fix_then(None, device=None), SOFTWARE, as_of=local("2026-03-06 00:00"))
    assert result.results.iloc[0]["status"] == "not_applicable"

"""Golden cases for duration rules: one little story per branch and status.

2026-03-02 is a Monday; the test calendar serves Mon-Fri 08:30-12:00 and
13:00-17:30 in Shanghai, Chinese holidays closed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from logs import local, make_log
from rulesets import rules

from svcsim.rules import check

DISPATCH = rules("""
[[rules]]
id = "dispatch-4h"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
target = "4h"
basis = "calendar"
warn_at = [0.75]
""")


def row(result, case_id: str, rule_id: str | None = None, cycle: int = 1) -> pd.Series:
    r = result.results
    sel = (r["case_id"] == case_id) & (r["cycle"] == cycle)
    if rule_id is not None:
        sel &= r["rule_id"] == rule_id
    found = r[sel]
    assert len(found) == 1, found
    return found.iloc[0]


def test_exactly_on_the_target_is_met():
    """A boundary value counts as met: 4 service hours to the nanosecond."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 08:30"), ("T1", "dispatched", "2026-03-02 13:30")])
    r = row(check(log, DISPATCH), "T1")
    assert r["status"] == "met"
    assert r["business_elapsed"] == pd.Timedelta(hours=4)  # lunch hour not counted
    assert r["due"] == local("2026-03-02 13:30")


def test_one_minute_late_is_breached():
    """Past the target by a minute: breached, level 1, due time as a service deadline."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 08:30"), ("T1", "dispatched", "2026-03-02 13:31")])
    r = row(check(log, DISPATCH), "T1")
    assert r["status"] == "breached"
    assert r["level"] == 1


def test_service_hours_carry_over_the_night_and_weekend():
    """Logged Friday 16:30: one service hour that day, three more on Monday morning."""
    log = make_log([("T1", "ticket_logged", "2026-03-06 16:30"), ("T1", "dispatched", "2026-03-09 11:30")])
    r = row(check(log, DISPATCH), "T1")
    assert r["status"] == "met"
    assert r["due"] == local("2026-03-09 11:30")
    assert r["elapsed"] == pd.Timedelta(days=2, hours=19)  # wall clock, for reference


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        ("2026-03-02 10:00", "running"),  # 1.5 of 4 service hours
        ("2026-03-02 12:30", "at_risk"),  # 3.5 h >= 75% of 4 h (lunch not counted)
        ("2026-03-02 13:30", "at_risk"),  # 4 h exactly: not yet breached
        ("2026-03-02 13:31", "breached_open"),
    ],
)
def test_open_clock_is_running_at_risk_or_breached_open(as_of, status):
    """A ticket not yet dispatched is reported open, never dropped, by how far its clock has run."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 08:30"), ("T1", "dispatched", "2026-03-03 09:00")])
    r = row(check(log, DISPATCH, as_of=local(as_of)), "T1")
    assert r["status"] == status
    assert pd.isna(r["stop"])


def test_events_after_as_of_are_ignored():
    """A dispatch after as_of is not seen: the clock is open at as_of."""
    log = make_log([("T1", "ticket_logged", "2026-03-02 08:30"), ("T1", "dispatched", "2026-03-02 09:00")])
    r = row(check(log, DISPATCH, as_of=local("2026-03-02 08:45")), "T1")
    assert r["status"] == "running"


def test_stop_without_start_is_not_applicable():
    """A job the engineer took directly in the field was never logged: no clock to judge."""
    log = make_log([("T1", "dispatched", "2026-03-02 09:00")])
    r = row(check(log, DISPATCH), "T1")
    assert r["status"] == "not_applicable"
    assert "no start event" in r["reason"]


def test_each_start_after_a_stop_opens_a_new_cycle_and_repeats_are_ignored():
    """Two visits make two arrival clocks; a second dispatch while the clock runs does not restart it."""
    arrive = rules("""
[[rules]]
id = "arrive-20min"
kind = "duration"
start = "dispatched"
stop = "arrived_on_site"
target = "20min"
""")
    log = make_log([
        ("T1", "dispatched", "2026-03-02 09:00"),
        ("T1", "dispatched", "2026-03-02 09:10"),  # ignored: clock already running
        ("T1", "arrived_on_site", "2026-03-02 09:20"),
        ("T1", "dispatched", "2026-03-03 09:00"),
        ("T1", "arrived_on_site", "2026-03-03 09:30"),
    ])
    result = check(log, arrive)
    assert row(result, "T1", cycle=1)["status"] == "met"
    second = row(result, "T1", cycle=2)
    assert second["status"] == "breached"
    assert second["elapsed"] == pd.Timedelta(minutes=30)


PAUSED = rules("""
[[rules]]
id = "resolve"
kind = "duration"
start = "ticket_logged"
stop = "completed"
pause = "customer_delay"
resume = "customer_ready"
target = "4h"
basis = "calendar"
""")


def test_pauses_hold_the_clock_and_move_the_due_time():
    """Two service hours of customer delay are not counted, and the due time moves by them."""
    log = make_log([
        ("T1", "ticket_logged", "2026-03-02 08:30"),
        ("T1", "customer_delay", "2026-03-02 09:30"),
        ("T1", "customer_delay", "2026-03-02 10:00"),  # a repeat while held: ignored
        ("T1", "customer_ready", "2026-03-02 11:30"),
        ("T1", "completed", "2026-03-02 15:30"),
    ])
    r = row(check(log, PAUSED), "T1")
    assert r["paused"] == pd.Timedelta(hours=2)
    assert r["status"] == "met"  # 6 service hours less 2 held = 4
    assert r["due"] == local("2026-03-02 15:30")


def test_a_clock_stopped_while_held_counts_the_hold_until_the_stop():
    """A pause that never resumed holds the clock until the stop."""
    log = make_log([
        ("T1", "ticket_logged", "2026-03-02 08:30"),
        ("T1", "customer_delay", "2026-03-02 09:30"),
        ("T1", "completed", "2026-03-03 09:30"),
    ])
    r = row(check(log, PAUSED), "T1")
    assert r["status"] == "met"
    assert r["paused"] == pd.Timedelta(hours=8)  # 09:30-17:30 less lunch (7 h), then 08:30-09:30 next day


def test_a_resume_without_a_pause_does_nothing():
    """Resuming a clock that was never held changes nothing."""
    log = make_log([
        ("T1", "ticket_logged", "2026-03-02 08:30"),
        ("T1", "customer_ready", "2026-03-02 09:00"),
        ("T1", "completed", "2026-03-02 14:00"),
    ])
    r = row(check(log, PAUSED), "T1")
    assert r["paused"] == pd.Timedelta(0)
    assert r["status"] == "breached"  # 4.5 service hours


COMPLETE = rules("""
[[rules]]
id = "complete-6h"
kind = "duration"
start = "dispatched"
stop = "completed"
target = "6h"
basis = "calendar"
[[rules.special]]
when = { has_event = "waiting_parts" }
target = "8h"
reason = "waited for parts"
[[rules.special]]
when = { has_event = "customer_delay" }
target = "8h"
reason = "customer reason"
[[rules.special]]
when = { holiday = true }
target = "8h"
reason = "ran over a holiday"
[[rules.special]]
when = { field = "zone", equals = "remote" }
target = "10h"
reason = "remote"
""")


def test_special_targets_first_match_wins():
    """Waiting for parts and a customer delay both qualify; the first listed gives the reason."""
    log = make_log(
        [
            ("T1", "dispatched", "2026-03-02 08:30"),
            ("T1", "customer_delay", "2026-03-02 09:00"),
            ("T1", "waiting_parts", "2026-03-02 10:00"),
            ("T1", "completed", "2026-03-02 16:30"),
            ("T2", "dispatched", "2026-03-02 08:30"),
            ("T2", "completed", "2026-03-02 16:30"),
            ("T3", "dispatched", "2026-03-02 08:30"),
            ("T3", "completed", "2026-03-02 16:30"),
        ],
        {"T3": {"zone": "remote"}},
    )
    result = check(log, COMPLETE)
    t1, t2, t3 = row(result, "T1"), row(result, "T2"), row(result, "T3")
    assert (t1["status"], t1["target_reason"], t1["target"]) == ("met", "waited for parts", pd.Timedelta(hours=8))
    assert (t2["status"], t2["target_reason"]) == ("breached", "default")
    assert (t3["status"], t3["target_reason"], t3["target"]) == ("met", "remote", pd.Timedelta(hours=10))


def test_an_event_outside_the_clock_span_does_not_choose_a_special_target():
    """Waiting for parts after the job was completed does not stretch that job's target."""
    log = make_log([
        ("T1", "dispatched", "2026-03-02 08:30"),
        ("T1", "completed", "2026-03-02 16:30"),
        ("T1", "waiting_parts", "2026-03-02 17:00"),
    ])
    assert row(check(log, COMPLETE), "T1")["target_reason"] == "default"


def test_running_over_a_holiday_gives_the_special_target():
    """Dispatched on the Friday before Tomb-Sweeping Day 2026 (5-6 April), completed after it."""
    log = make_log([("T1", "dispatched", "2026-04-03 13:00"), ("T1", "completed", "2026-04-07 10:00")])
    r = row(check(log, COMPLETE), "T1")
    assert r["target_reason"] == "ran over a holiday"
    assert r["business_elapsed"] == pd.Timedelta(hours=6)  # Fri 13:00-17:30, then Tue 08:30-10:00
    assert r["status"] == "met"


SHIP = rules("""
[[rules]]
id = "ship-4h"
kind = "duration"
start = ["unit_received", "item_received"]
stop = ["unit_shipped", "sent_to_vendor"]
target = "4h"
basis = "calendar"
or_same_day = true
""")


@pytest.mark.parametrize(
    ("received", "shipped", "status", "due"),
    [
        ("2026-03-02 09:00", "2026-03-02 17:30", "met", "2026-03-02 17:30"),  # 7.5 h but the same day
        ("2026-03-02 09:00", "2026-03-03 08:31", "breached", "2026-03-02 17:30"),  # neither
        ("2026-03-02 16:00", "2026-03-03 11:00", "met", "2026-03-03 11:00"),  # 4 h, the later deadline
        ("2026-03-02 19:00", "2026-03-03 13:31", "breached", "2026-03-03 13:30"),  # after close: no same day
    ],
)
def test_four_hours_or_the_same_day(received, shipped, status, due):
    """Met when either holds: within 4 service hours, or before that service day ends."""
    log = make_log([("I1", "item_received", received), ("I1", "sent_to_vendor", shipped)])
    r = row(check(log, SHIP), "I1")
    assert (r["status"], r["due"]) == (status, local(due))


def test_wall_clock_basis_counts_every_minute():
    """A wall-clock rule needs no calendar and counts nights and lunch."""
    wall = rules("""
[[rules]]
id = "wall-4h"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
target = "4h"
""")
    log = make_log([("T1", "ticket_logged", "2026-03-02 11:00"), ("T1", "dispatched", "2026-03-02 15:01")])
    r = row(check(log, wall), "T1")
    assert r["status"] == "breached"
    assert pd.isna(r["business_elapsed"])
    assert r["due"] == local("2026-03-02 15:00")


def test_applies_to_filters_cases():
    """A rule for city tickets produces no rows for a suburb ticket."""
    city = rules("""
[[rules]]
id = "city"
kind = "duration"
applies_to = { field = "zone", in = ["city"] }
start = "dispatched"
stop = "arrived_on_site"
target = "20min"
""")
    log = make_log(
        [("T1", "dispatched", "2026-03-02 09:00"), ("T2", "dispatched", "2026-03-02 09:00")],
        {"T1": {"zone": "city"}, "T2": {"zone": "suburb"}},
    )
    assert list(check(log, city).results["case_id"].astype(str)) == ["T1"]

"""Properties of the rule engine on random logs.

The vectorised engine must give exactly the rows of the plain per-case
oracle, whatever the activities, times (ties included), pauses, triggers and
forbidden events, and as_of; and
shifting a log by whole weeks must not change a verdict when no holiday is
crossed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from compare import engine_vs_oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rulesets import rules

from svcsim.eventlog import EventLog
from svcsim.rules import check, load_rules
from svcsim.rules.oracle import check_oracle

ACTIVITIES = [
    "ticket_logged", "dispatched", "arrived_on_site", "waiting_parts", "customer_delay", "customer_ready",
    "completed", "part_issued", "bad_part_returned", "callback_made", "unit_received", "unit_shipped",
    "item_received", "sent_to_vendor", "vendor_confirmed", "user_informed", "returned_from_vendor", "scrapped",
    "repair_started", "part_requested", "cancelled", "cancel_refused",
]

#: Every feature at once on the service calendar: pauses, specials (holiday too), same day,
#: a calendar-basis ladder that repeats, a calendar-basis recurrence, a forbidden rule with
#: several triggers and events (common ones, so that ties and repeats are frequent).
EVERYTHING = rules("""
[[rules]]
id = "complete"
kind = "duration"
applies_to = { any = [{ field = "case_type", equals = "ticket" }, { field = "case_type", present = false }] }
start = ["dispatched", "ticket_logged"]
stop = "completed"
pause = ["customer_delay", "waiting_parts"]
resume = "customer_ready"
target = "6h"
basis = "calendar"
warn_at = [0.5, 0.9]
[[rules.special]]
when = { holiday = true }
target = "8h"
reason = "holiday"
[[rules.special]]
when = { all = [{ field = "zone", in = ["suburb", "remote"] }, { not = { has_event = "part_issued" } }] }
target = "3h"
reason = "far, no part"
[[rules]]
id = "ship"
kind = "duration"
start = ["unit_received", "item_received"]
stop = ["unit_shipped", "sent_to_vendor"]
target = "2h"
basis = "calendar"
or_same_day = true
[[rules]]
id = "arrive"
kind = "duration"
start = "dispatched"
stop = "arrived_on_site"
pause = "customer_delay"
resume = "customer_ready"
target = "90min"
[[rules]]
id = "follow"
kind = "ladder"
start = "sent_to_vendor"
stop = ["returned_from_vendor", "scrapped"]
basis = "calendar"
[[rules.milestones]]
id = "follow-1"
after = "4h"
requires = "vendor_confirmed"
[[rules.milestones]]
id = "follow-2"
after = "16h"
requires = ["returned_from_vendor", "scrapped"]
repeat_every = "8h"
[[rules]]
id = "holds"
kind = "recurrence"
applies_to = { has_event = "completed" }
after = "completed"
repeat = ["ticket_logged", "dispatched"]
key = ["device_id"]
window = "10h"
basis = "calendar"
[[rules]]
id = "no-cancel"
kind = "forbidden"
applies_to = { any = [{ field = "warranty", equals = "out" }, { field = "case_type", present = false }] }
after = ["repair_started", "part_requested", "dispatched"]
event = ["cancelled", "completed"]
""")

START = pd.Timestamp("2026-03-30 00:00", tz="Asia/Shanghai")  # spans Tomb-Sweeping Day and Labour Day 2026
SPAN_MIN = 45 * 24 * 60
NO_SHIFT = pd.Timedelta(0)

#: Offsets of a case's events from its own base time: mostly within hours on a 30-minute
#: grid (every target is a multiple of 30 min, so boundaries and ties are frequent),
#: sometimes days or weeks later (ladders, repeats, coverage of holidays).
_grid_hours = st.integers(0, 24).map(lambda k: k * 30)
_grid_days = st.integers(0, 6 * 48).map(lambda k: k * 30)
offset_st = st.one_of(_grid_hours, _grid_hours, _grid_days, _grid_days, st.integers(0, 3 * 24 * 60), st.integers(0, 40 * 24 * 60))
cases_st = st.lists(
    st.tuples(
        st.sampled_from(["ticket", "item", None]),
        st.sampled_from(["city", "suburb", "remote", None]),
        st.sampled_from(["software", "hardware", None]),
        st.sampled_from(["D1", "D2", "D3", None]),
        st.sampled_from([None] * 9 + ["TS_UNPARSEABLE"]),
        st.tuples(
            st.integers(0, 14 * 48).map(lambda k: k * 30),
            st.lists(st.tuples(st.sampled_from(ACTIVITIES), offset_st), max_size=12),
        ),
        st.sampled_from(["out", "in", False, True, None]),
    ),
    min_size=1,
    max_size=6,
)


def build(cases: list, shift: pd.Timedelta = NO_SHIFT, start: pd.Timestamp = START) -> EventLog:
    events, table = [], []
    for i, (ctype, zone, fault, device, invalid, (base, evs), *warranty) in enumerate(cases):
        cid = f"C{i}"
        table.append({"case_id": cid, "case_type": ctype, "zone": zone, "fault": fault, "device_id": device,
                      "warranty": warranty[0] if warranty else None, "invalid_reason": invalid})
        events += [{"case_id": cid, "activity": a, "timestamp": start + shift + pd.Timedelta(minutes=base + m)} for a, m in evs]
    frame = pd.DataFrame(events, columns=["case_id", "activity", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    return EventLog.from_frames(frame, pd.DataFrame(table))


as_of_st = st.one_of(st.none(), st.integers(0, 20 * 48).map(lambda k: START + pd.Timedelta(minutes=30 * k)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=cases_st, as_of=as_of_st)
def test_engine_equals_oracle_on_every_feature(cases, as_of):
    """Whatever the log, the vectorised engine and the per-case oracle give the same rows."""
    log = build(cases)
    if as_of is None and not len(log.events):
        as_of = START
    diff = engine_vs_oracle(check(log, EVERYTHING, as_of=as_of).results, check_oracle(log, EVERYTHING, as_of=as_of))
    assert diff.empty, diff.T


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=cases_st, as_of=as_of_st)
def test_engine_equals_oracle_on_the_default_rules(cases, as_of):
    """The same agreement on the built-in rules of every seed target."""
    log = build(cases)
    if as_of is None and not len(log.events):
        as_of = START
    rules_ = load_rules()
    one = check(log, rules_, as_of=as_of, threads=1).results
    diff = engine_vs_oracle(one, check_oracle(log, rules_, as_of=as_of))
    assert diff.empty, diff.T
    pd.testing.assert_frame_equal(check(log, rules_, as_of=as_of, threads=3).results, one)  # rules on threads: the same rows


MARCH = pd.Timestamp("2026-03-02 00:00", tz="Asia/Shanghai")  # March 2026: no holiday, no make-up day
short_cases_st = st.lists(
    st.tuples(
        st.sampled_from(["ticket", "item"]), st.sampled_from(["city", "remote"]), st.sampled_from(["software", "hardware"]),
        st.sampled_from(["D1", "D2"]), st.just(None),
        st.tuples(st.integers(0, 4 * 48).map(lambda k: k * 30), st.lists(st.tuples(st.sampled_from(ACTIVITIES), st.integers(0, 14 * 48).map(lambda k: k * 30)), max_size=10)),
    ),
    min_size=1, max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=short_cases_st, weeks=st.integers(1, 2), as_of_min=st.integers(0, 12 * 24 * 60))
def test_shifting_by_whole_weeks_keeps_calendar_verdicts(cases, weeks, as_of_min):
    """Moved by whole weeks within a month without holidays, every verdict and duration stays the same."""
    shift = pd.Timedelta(weeks=weeks)
    as_of = MARCH + pd.Timedelta(minutes=as_of_min)
    a = check(build(cases, start=MARCH), EVERYTHING, as_of=as_of).results
    b = check(build(cases, shift, start=MARCH), EVERYTHING, as_of=as_of + shift).results
    cols = ["rule_id", "case_id", "cycle", "repeat", "status", "elapsed", "business_elapsed", "paused", "target", "target_reason", "level"]
    pd.testing.assert_frame_equal(a[cols].reset_index(drop=True), b[cols].reset_index(drop=True))
    for col in ("start", "stop", "due"):
        assert ((b[col] - a[col]).dropna() == shift).all()


BOUNDARY = rules("""
[[rules]]
id = "clock"
kind = "duration"
start = "ticket_logged"
stop = "dispatched"
target = "4h"
basis = "calendar"
[[rules.special]]
when = { has_event = "waiting_parts" }
target = "90min"
reason = "short"
[[rules]]
id = "ladder"
kind = "ladder"
start = "sent_to_vendor"
stop = "returned_from_vendor"
basis = "calendar"
[[rules.milestones]]
id = "ladder-1"
after = "6h"
requires = "vendor_confirmed"
""")


@settings(max_examples=80, deadline=None)
@given(start_min=st.integers(0, 40 * 48).map(lambda k: k * 30), special=st.booleans(), late_min=st.sampled_from([0, 1]))
def test_a_boundary_value_is_met_and_a_minute_more_is_not(start_min, special, late_min):
    """Stopped exactly at the service deadline: met, for clocks and milestones; one service minute later: breached."""
    cal = BOUNDARY.calendars["service"]
    start = START + pd.Timedelta(minutes=start_min)
    target_ns = (90 if special else 240) * 60 * 10**9
    start_ns = int(start.tz_convert("UTC").value)
    due_ns = int(cal.deadline_ns(np.array([start_ns]), np.array([target_ns + late_min * 60 * 10**9]))[0])
    due = pd.Timestamp(due_ns, tz="UTC")
    milestone_due = pd.Timestamp(int(cal.deadline_ns(np.array([start_ns]), np.array([6 * 3600 * 10**9 + late_min * 60 * 10**9]))[0]), tz="UTC")
    events = [("T", "ticket_logged", start), ("T", "dispatched", due), ("I", "sent_to_vendor", start), ("I", "vendor_confirmed", milestone_due)]
    if special:
        events.append(("T", "waiting_parts", start))
    frame = pd.DataFrame(events, columns=["case_id", "activity", "timestamp"])
    frame["timestamp"] = pd.to_datetime(frame["timestamp"], utc=True)
    log = EventLog.from_frames(frame)
    results = check(log, BOUNDARY, as_of=max(due, milestone_due)).results.set_index("rule_id")
    expected = "met" if late_min == 0 else "breached"
    assert results.loc["clock", "status"] == expected
    assert results.loc["ladder-1", "status"] == expected
    diff = engine_vs_oracle(check(log, BOUNDARY).results, check_oracle(log, BOUNDARY))
    assert diff.empty, diff.T

"""A simulated center is judged on the hours it was simulated with, not the built-in calendar's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim import simulate
from svcsim.rules import check, load_rules
from svcsim.scenario import load_scenario, with_changes

SERVICE = ["08:30-12:00", "13:00-17:30"]


def _saturday_center():
    """``tiny`` (Mon 2025-03-03 to Sun 03-09) open on Saturdays with calls, and closed on Wednesday 03-05.

    Dispatch ``when_free``, so that tickets wait before ``dispatched`` (the clock this test reads).
    """
    hours = {day: list(SERVICE) for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    return with_changes(load_scenario("tiny"), {
        "calendar.hours": hours,
        "calendar.closures": [{"date": "2025-03-05", "kind": "closed", "note": "site move"}],
        "demand.calls_per_day": {"mon": 30, "tue": 30, "wed": 30, "thu": 30, "fri": 30, "sat": 30, "sun": 0},
        "staffing.field_engineers.assignment": "when_free", "staffing.field_engineers.overtime_minutes": float("inf"),
    })


def _open(calendar, local: str) -> bool:
    stamp = pd.Timestamp(local, tz="Asia/Shanghai").value
    return bool(calendar.is_open_ns(np.array([stamp], dtype=np.int64))[0])


def test_a_run_on_the_default_calendar_is_judged_by_the_built_in_rules_themselves():
    run = simulate("tiny", seed=1, days=2)
    assert run.rules() is load_rules(None)


def test_the_judging_calendar_has_the_scenario_hours_and_closures():
    run = simulate(_saturday_center(), seed=1, days=1)
    rules = run.rules()
    calendar = rules.calendars[rules.default_calendar]
    built_in = load_rules(None).calendars[rules.default_calendar]
    assert _open(calendar, "2025-03-08 10:00") and not _open(built_in, "2025-03-08 10:00")
    assert not _open(calendar, "2025-03-05 10:00") and _open(built_in, "2025-03-05 10:00")
    assert _open(calendar, "2025-03-06 10:00") and not _open(calendar, "2025-03-06 12:30")
    assert [r.id for r in rules.rules] == [r.id for r in load_rules(None).rules]


def test_saturday_dispatch_time_counts_when_the_center_opens_on_saturday():
    run = simulate(_saturday_center(), seed=3)
    saturday = pd.Timestamp("2025-03-08", tz="Asia/Shanghai")
    own = run.check().results
    built_in = check(run.log, load_rules(None), as_of=run.end).results

    def saturday_rows(results: pd.DataFrame) -> pd.DataFrame:
        rows = results[(results["rule_id"] == "dispatch-4h") & results["stop"].notna()]
        start = rows["start"].dt.tz_convert("Asia/Shanghai")
        return rows[(start.dt.normalize() == saturday) & (rows["stop"] > rows["start"])].set_index("case_id")

    ours, theirs = saturday_rows(own), saturday_rows(built_in)
    assert len(ours) >= 10 and ours.index.equals(theirs.index)
    # on the scenario's hours Saturday afternoon waits are on the clock; on the built-in calendar they are not
    local_start = ours["start"].dt.tz_convert("Asia/Shanghai")
    local_stop = ours["stop"].dt.tz_convert("Asia/Shanghai")
    afternoon = (local_start >= saturday + pd.Timedelta(hours=13)) & (local_stop <= saturday + pd.Timedelta(hours=17.5))
    assert afternoon.sum() >= 5
    assert (ours.loc[afternoon, "business_elapsed"] == ours.loc[afternoon, "elapsed"]).all()
    assert ours["business_elapsed"].sum() > pd.Timedelta(hours=1)
    assert (theirs["business_elapsed"] == pd.Timedelta(0)).all()
    # nothing is dispatched on the closed Wednesday, and the built-in rules would still count it open
    wednesday = own[own["rule_id"] == "dispatch-4h"]["stop"].dt.tz_convert("Asia/Shanghai").dt.normalize()
    assert not (wednesday == pd.Timestamp("2025-03-05", tz="Asia/Shanghai")).any()


def test_the_clock_and_the_judge_read_one_service_calendar():
    """The simulation clock and the judging rules take their hours from the same ``service_calendar``."""
    from svcsim.scenario.calendar import service_calendar
    from svcsim.simulation.clock import SimClock

    scenario = _saturday_center()
    clock = SimClock(scenario, 7)
    calendar = service_calendar(scenario, years=(2025, 2025))
    assert service_calendar(scenario.calendar, scenario.timezone, (2025, 2025)) is calendar  # cached
    assert clock.holidays == dict(calendar.holidays)
    assert clock.service_hours[5] == calendar.hours[5]  # Saturday 2025-03-08 is open
    assert clock.service_hours[2] == ()  # the site move on Wednesday

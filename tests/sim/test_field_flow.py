"""The field flow answers its levers: engineers, travel, calls, shift groups; and keeps its invariants.

Dispatch is an assignment to an engineer's list (svcsim/processes/dispatchers.py),
an engineer drives from the last site to the next (svcsim/processes/travel.py),
so fewer engineers cost arrivals and completions, not only dispatches. The
directions are held with their size on a small center, few replications,
common random numbers; the invariants with hypothesis over random small
scenarios, from a trace of every drive and every list.
"""

from __future__ import annotations

from collections.abc import Iterator

import hypothesis.strategies as st
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from simhelpers import first_times

from svcsim.processes import dispatchers, field_engineers
from svcsim.processes.dispatch_policies import ASSIGNMENTS as POLICY_ASSIGNMENTS
from svcsim.processes.dispatch_policies import TICKET_ORDERS as POLICY_ORDERS
from svcsim.rules import check
from svcsim.scenario import load_scenario, with_changes
from svcsim.scenario.model import ASSIGNMENTS, TICKET_ORDERS
from svcsim.simulation import simulate

#: A small center whose field engineers work lists: ~14 field jobs a working day.
SMALL = with_changes(load_scenario("tiny"), {
    "horizon_days": 14,
    "demand.calls_per_day": {"mon": 40, "tue": 40, "wed": 40, "thu": 40, "fri": 40, "sat": 0, "sun": 0},
    "staffing.field_engineers": {"count": 4, "shared": True, "assignment": "earliest_arrival", "max_assigned": 2,
                                 "queue_after_minutes": 60, "overtime_minutes": 30},
    "staffing.dispatchers": 2,
    "times.paperwork": {"dist": "lognorm", "s": 0.4, "scale": 10.0},
})
FIELD_TARGETS = ("dispatch-4h", "arrive-20min", "complete-6h")


def attainment(scenario, seeds=(1, 2, 3)) -> dict[str, float]:  # noqa: ANN001
    """Met over decided, in percent, per field target, pooled over ``seeds`` (the same calls at every change)."""
    met = dict.fromkeys(FIELD_TARGETS, 0)
    decided = dict.fromkeys(FIELD_TARGETS, 0)
    for seed in seeds:
        results = check(simulate(scenario, seed=seed).log).results
        for rule in FIELD_TARGETS:
            status = results.loc[results["rule_id"] == rule, "status"].astype(str)
            met[rule] += int((status == "met").sum())
            decided[rule] += int(status.isin(["met", "breached", "breached_open"]).sum())
    return {rule: 100.0 * met[rule] / max(decided[rule], 1) for rule in FIELD_TARGETS}


def test_every_policy_name_of_the_scenario_is_registered_once():
    assert tuple(POLICY_ASSIGNMENTS) == ASSIGNMENTS
    assert tuple(POLICY_ORDERS) == TICKET_ORDERS


def test_fewer_engineers_cost_points_on_every_field_target():
    many, few = attainment(SMALL), attainment(with_changes(SMALL, {"staffing.field_engineers.count": 2}))
    for rule in FIELD_TARGETS:
        assert few[rule] <= many[rule] - 5, (rule, many, few)


def test_longer_travel_costs_arrivals():
    slow = with_changes(SMALL, {f"times.travel.{zone}.scale": 2.0 * SMALL.times.travel[zone].params["scale"]
                                for zone in SMALL.times.travel})
    quick, long = attainment(SMALL), attainment(slow)
    assert long["arrive-20min"] <= quick["arrive-20min"] - 10, (quick, long)


def test_more_calls_cost_points_on_arrival_and_dispatch():
    busier = with_changes(SMALL, {"demand.calls_per_day": {d: 60 for d in ("mon", "tue", "wed", "thu", "fri")}})
    calm, busy = attainment(SMALL), attainment(busier)
    assert busy["arrive-20min"] <= calm["arrive-20min"] - 5, (calm, busy)
    assert busy["dispatch-4h"] <= calm["dispatch-4h"], (calm, busy)


def _afternoon_arrival_hours(scenario) -> float:  # noqa: ANN001
    """Mean hours from logging to arrival on site of tickets logged from 13:00 on, over three seeds."""
    waits = []
    for seed in (1, 2, 3):
        times = first_times(simulate(scenario, seed=seed).events)
        logged = times["ticket_logged"].dt.tz_convert("Asia/Shanghai")
        afternoon = times["arrived_on_site"].notna() & (logged.dt.hour >= 13)
        waits.append((times["arrived_on_site"] - times["ticket_logged"])[afternoon].dt.total_seconds() / 3600)
    return float(pd.concat(waits).mean())


def test_an_afternoon_shift_group_brings_afternoon_arrivals_forward():
    day_only = with_changes(SMALL, {"staffing.field_engineers.count": 3})
    with_late = with_changes(SMALL, {"staffing.field_engineers": {
        **SMALL.staffing.field_engineers.model_dump(exclude={"count", "shift"}),
        "groups": [{"name": "day", "count": 3}, {"name": "late", "count": 1,
                                                 "shift": {"hours": ["13:00-20:00"]}}]}})
    before, after = _afternoon_arrival_hours(day_only), _afternoon_arrival_hours(with_late)
    assert after <= before - 0.25, (before, after)


# -- invariants ---------------------------------------------------------------------------------

class Trace:
    """Every drive (resource, from, to, start, end) and the longest list seen, recorded by wrapping the model."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.drives: list[tuple[int, int, int, float, float]] = []
        self.off_duty_drives: list[tuple[int, int, float]] = []  # jobs started outside one's shift
        self.longest = 0
        drive, assign = field_engineers.FieldCrew._drive, dispatchers.DispatchBoard.assign
        job = field_engineers.FieldCrew._job
        trace = self

        def traced_job(crew, me, work):  # noqa: ANN001, ANN202
            start = crew.env.now
            if not any(on <= start <= off + 1e-9 for on, off in me.duty):
                trace.off_duty_drives.append((me.resource, work.case, start))
            yield from job(crew, me, work)

        def traced_drive(crew, me, destination):  # noqa: ANN001, ANN202
            origin, start = me.place, crew.env.now
            yield from drive(crew, me, destination)
            trace.drives.append((me.resource, origin, destination, start, crew.env.now))

        def traced_assign(board, job, engineer):  # noqa: ANN001, ANN202
            assign(board, job, engineer)
            trace.longest = max(trace.longest, len(engineer.jobs) - (1 if engineer.in_hand is None else 0))

        monkeypatch.setattr(field_engineers.FieldCrew, "_drive", traced_drive)
        monkeypatch.setattr(field_engineers.FieldCrew, "_job", traced_job)
        monkeypatch.setattr(dispatchers.DispatchBoard, "assign", traced_assign)


@st.composite
def field_scenarios(draw: st.DrawFn) -> tuple[object, int]:
    count = draw(st.integers(1, 4))
    groups = draw(st.booleans())
    field = {"shared": draw(st.booleans()), "assignment": draw(st.sampled_from(ASSIGNMENTS)),
             "max_assigned": draw(st.integers(0, 3)),
             "queue_after_minutes": draw(st.sampled_from([0.0, 45.0])),
             "overtime_minutes": draw(st.sampled_from([float("inf"), 0.0, 30.0])),
             "back_to_center": draw(st.sampled_from(["when_idle", "end_of_shift"])),
             "reassign_after_minutes": draw(st.sampled_from([None, 20.0]))}
    if groups:
        field["groups"] = [{"name": "early", "count": count, "shift": {"hours": ["08:00-16:00"]}},
                           {"name": "late", "count": draw(st.integers(0, 2)), "shift": {"hours": ["12:00-20:00"]},
                            "zone": draw(st.sampled_from([None, "city"]))}]
    else:
        field["count"] = count
    scenario = with_changes(SMALL, {
        "horizon_days": 5, "staffing.field_engineers": field,
        "demand.calls_per_day": {d: draw(st.sampled_from([20, 45])) for d in ("mon", "tue", "wed", "thu", "fri")},
        "probabilities.part_in_van": draw(st.sampled_from([1.0, 0.3])),
        "probabilities.customer_not_ready": draw(st.sampled_from([0.0, 0.3])),
        "spares.store": "base_stock", "spares.parts.generic.base_stock": draw(st.integers(0, 3)),
    })
    return scenario, draw(st.integers(0, 50))


def _drives_by_engineer(drives: list[tuple[int, int, int, float, float]]) -> Iterator[list[tuple[int, int, float, float]]]:
    frame = pd.DataFrame(drives, columns=["resource", "origin", "destination", "start", "end"])
    for _, own in frame.sort_values(["resource", "start", "end"]).groupby("resource"):
        yield list(own[["origin", "destination", "start", "end"]].itertuples(index=False, name=None))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=field_scenarios())
def test_an_engineer_is_in_one_place_and_every_drive_starts_where_the_last_ended(case, monkeypatch):
    scenario, seed = case
    trace = Trace(monkeypatch)
    run = simulate(scenario, seed=seed)
    center = len(scenario.demand.zones)
    for drives in _drives_by_engineer(trace.drives):
        assert drives[0][0] == center, "the day starts at the center"
        for (_, to, _, end), (origin, _, start, _) in zip(drives, drives[1:], strict=False):
            assert origin == to, "a drive starts where the last one ended"
            assert start >= end - 1e-9, "two drives at once"
    assert trace.longest <= scenario.staffing.field_engineers.max_assigned

    ev = run.events.assign(case_id=run.events["case_id"].astype(str), activity=run.events["activity"].astype(str))
    counts = ev.groupby(["case_id", "activity"]).size().unstack(fill_value=0)
    for column in ("dispatched", "completed", "waiting_parts", "arrived_on_site"):
        if column not in counts:
            counts[column] = 0
    assert (counts["completed"] <= 1).all(), "a ticket completed twice"
    # every assignment ends once: completed, or waiting for a part (then dispatched again), or open at the horizon
    assert (counts["dispatched"] <= 1 + counts["waiting_parts"]).all()
    assert (counts["arrived_on_site"] <= counts["dispatched"]).all()

    # nobody drives to a job outside their own shift; only the drive back may run over it
    assert not trace.off_duty_drives
    assert run.busy["end"].ge(run.busy["start"]).all()


def test_when_free_sends_only_engineers_with_nothing_to_do(monkeypatch):
    trace = Trace(monkeypatch)
    simulate(with_changes(SMALL, {"staffing.field_engineers.assignment": "when_free"}), seed=4)
    assert trace.longest == 0


# -- bad input ----------------------------------------------------------------------------------

_BAD_FIELD_SCENARIOS = {
    "a shift group that ends before it starts": (
        '[staffing.field_engineers]\ngroups = [{name = "day", count = 2, shift = {hours = ["17:00-09:00"]}}]\n',
        "staffing.field_engineers.groups[0].shift.hours"),
    "a group named twice": (
        '[staffing.field_engineers]\ngroups = [{name = "day", count = 2}, {name = "day", count = 1}]\n',
        "group 'day' is named twice"),
    "a count beside groups that disagrees": (
        '[staffing.field_engineers]\ncount = 5\ngroups = [{name = "day", count = 2}]\n',
        "count = 5 with groups of 2"),
    "a travel matrix missing a pair": (
        "[times.travel_between.center]\ncity = {dist = 'expon', scale = 10}\nsuburb = {dist = 'expon', scale = 10}\n"
        "remote = {dist = 'expon', scale = 10}\n[times.travel_between.city]\ncity = {dist = 'expon', scale = 10}\n",
        "no drive from 'city' to 'suburb'"),
    "a travel matrix naming no such place": (
        "[times.travel_between.depot]\ncity = {dist = 'expon', scale = 10}\n", "unknown place(s) ['depot']"),
    "a negative count": ("[staffing.field_engineers]\ncount = -1\n", "staffing.field_engineers.count"),
    "a negative group count": (
        '[staffing.field_engineers]\ngroups = [{name = "day", count = -2}]\n', "groups[0].count"),
    "a negative cap": ("[staffing.field_engineers]\nmax_assigned = -2\n", "staffing.field_engineers.max_assigned"),
    "a group in no such zone": (
        '[staffing.field_engineers]\ngroups = [{name = "day", count = 2, zone = "moon"}]\n', "zone 'moon'"),
    "an unknown assignment": ('[staffing.field_engineers]\nassignment = "random"\n', "assignment"),
}


@pytest.mark.parametrize("mistake", sorted(_BAD_FIELD_SCENARIOS))
def test_a_bad_field_scenario_is_one_line_naming_the_file_and_the_field(mistake, tmp_path, capsys):
    from svcsim.cli import main

    text, named = _BAD_FIELD_SCENARIOS[mistake]
    path = tmp_path / "center.toml"
    path.write_text('name = "center"\n' + text)
    assert main(["run", str(path), "--days", "1", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "center.toml" in err and named in err, err
    assert "Traceback" not in err


def test_a_grouped_role_is_swept_by_its_groups_not_its_count():
    grouped = with_changes(SMALL, {"staffing.field_engineers.groups": [
        {"name": "day", "count": 3}, {"name": "late", "count": 1, "shift": {"hours": ["13:00-20:00"]}}]})
    assert grouped.staffing.field_engineers.count == 4
    assert with_changes(grouped, {"staffing.field_engineers.groups.late.count": 2}).staffing.field_engineers.count == 5
    from svcsim.errors import InputError
    with pytest.raises(InputError, match="staffed by shift groups"):
        with_changes(grouped, {"staffing.field_engineers.count": 6})


def test_an_appointment_holds_the_ticket_and_the_dispatch_clock_until_the_customer_is_ready():
    run = simulate(with_changes(SMALL, {"probabilities.appointment": 0.3}), seed=2)
    ev = run.events
    held = ev[(ev["activity"].astype(str) == "customer_delay") & (ev["reason"].astype(str) == "appointment")]
    assert len(held) >= 10
    times = first_times(ev)
    cases = held["case_id"].astype(str).unique()
    ready, dispatched = times.loc[cases, "customer_ready"], times.loc[cases, "dispatched"]
    both = ready.notna() & dispatched.notna()
    assert both.sum() >= 5 and (dispatched[both] >= ready[both]).all()
    assert ((ready[both] - times.loc[cases, "ticket_logged"][both]) >= pd.Timedelta(days=1)).all()
    results = check(run.log).results
    rows = results[(results["rule_id"] == "dispatch-4h") & results["case_id"].astype(str).isin(cases)
                   & results["stop"].notna()]
    assert (rows["paused"] > pd.Timedelta(0)).all() and (rows["status"].astype(str) == "met").mean() > 0.9


def test_a_free_engineer_takes_over_a_job_that_waits_on_a_busy_list():
    """With re-assignment, jobs stuck behind others move to a free engineer and are reached sooner.

    The same calls with and without (common random numbers): the moved tickets' arrival on site,
    against the same tickets' arrival when nobody takes them over.
    """
    stuck = with_changes(SMALL, {"staffing.field_engineers.queue_after_minutes": 0.0,
                                 "staffing.field_engineers.max_assigned": 3})
    moving = with_changes(stuck, {"staffing.field_engineers.reassign_after_minutes": 15.0})
    sooner, later = 0, 0
    for seed in range(1, 9):  # a dozen moved jobs per three seeds is too few to judge: eight seeds
        ev = simulate(moving, seed=seed).events
        acts = ev["activity"].astype(str)
        counts = ev.assign(case_id=ev["case_id"].astype(str), activity=acts).groupby(["case_id", "activity"]).size()
        assert counts.xs("completed", level="activity").max() <= 1
        moved = ev.loc[acts == "reassigned", "case_id"].astype(str).unique()
        with_move = first_times(ev)["arrived_on_site"].reindex(moved)
        without = first_times(simulate(stuck, seed=seed).events)["arrived_on_site"].reindex(moved)
        both = with_move.notna() & without.notna()
        sooner += int((with_move[both] < without[both]).sum())
        later += int((with_move[both] > without[both]).sum())
    assert sooner >= 15 and sooner >= 2 * later, (sooner, later)

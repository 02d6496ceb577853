"""Directions of change, with common random numbers and large changes.

More field engineers => tickets wait less from logging to the engineer's
arrival (in this model a dispatcher sends a ticket only when an engineer is
free, so the wait is before `dispatched`; `dispatched` -> `arrived_on_site`
is the travel alone). More operators => fewer abandoned calls.
"""

from __future__ import annotations

from simhelpers import first_times, hours

from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

BASE = load_scenario("baseline")


def _logged_to_arrival_hours(n_engineers: int) -> float:
    run = simulate(with_changes(BASE, {"staffing.field_engineers": n_engineers}), seed=21, days=14)
    times = first_times(run.events)
    done = times["arrived_on_site"].notna()
    return float(hours(times.loc[done, "arrived_on_site"] - times.loc[done, "ticket_logged"]).mean())


def test_more_field_engineers_means_earlier_arrival():
    few, many = _logged_to_arrival_hours(7), _logged_to_arrival_hours(16)
    assert many < few, (few, many)


def test_more_operators_means_fewer_abandoned_calls():
    def abandoned(n: int) -> int:
        run = simulate(with_changes(BASE, {"staffing.operators": n}), seed=21, days=10)
        return int((run.events["activity"] == "call_abandoned").sum())

    few, many = abandoned(2), abandoned(8)
    assert many < few, (few, many)

"""Directions of change, with common random numbers and large changes.

More field engineers => tickets wait less from logging to the engineer's
arrival. More operators => fewer abandoned calls. The ticket order of the
dispatchers (``nearest``) moves who waits, shown with the ``when_free``
assignment, where every wait is before `dispatched`. The field targets'
answer to staffing, travel and calls is in tests/sim/test_field_flow.py.
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


def _logged_to_dispatch_by_zone(policy: str) -> dict[str, float]:
    """Mean hours from logging to dispatch per zone, shared engineers in short supply."""
    scenario = with_changes(BASE, {"staffing.field_engineers": {"count": 9, "shared": True,
                                                                "assignment": "when_free"},
                                   "staffing.dispatch_policy": policy})
    run = simulate(scenario, seed=21, days=14)
    times = first_times(run.events)
    done = times["dispatched"].notna() & times["ticket_logged"].notna()
    wait = hours(times.loc[done, "dispatched"] - times.loc[done, "ticket_logged"])
    zone = run.cases.set_index(run.cases["case_id"].astype(str))["zone"].astype(object)
    return wait.groupby(zone.reindex(wait.index).to_numpy()).mean().to_dict()


def test_nearest_first_dispatch_serves_the_city_sooner_and_the_remote_zone_later():
    oldest, nearest = _logged_to_dispatch_by_zone("priority"), _logged_to_dispatch_by_zone("nearest")
    assert nearest["city"] < oldest["city"], (oldest, nearest)
    assert nearest["remote"] > oldest["remote"], (oldest, nearest)

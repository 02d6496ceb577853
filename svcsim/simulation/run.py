"""One simulation run: a scenario, a seed and a replication in; a :class:`Run` out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import simpy

from svcsim.eventlog import EventLog
from svcsim.processes.recorder import Recorder
from svcsim.scenario.load import load_scenario
from svcsim.scenario.model import Scenario
from svcsim.simulation.clock import SimClock
from svcsim.simulation.results import busy_table, event_log, utilisation
from svcsim.simulation.world import build_world
from svcsim.streams import Streams

__all__ = ["Run", "simulate"]


@dataclass(frozen=True, eq=False)
class Run:
    """The result of one run, and where it came from.

    ``log`` is the event log in the canonical shape (``log.events``,
    ``log.cases``); ``utilisation`` has one row per role; ``busy`` the busy
    records it is computed from (resource, role, start and end in minutes
    since ``start``); ``duty`` the on-duty intervals of each role (minutes); ``start`` and
    ``end`` are the horizon in the scenario's zone: judge the log ``as_of``
    ``end`` (:meth:`check` does), so open cases are reported as open.
    """

    log: EventLog
    utilisation: pd.DataFrame
    busy: pd.DataFrame
    duty: dict[str, list[tuple[float, float]]]
    scenario: Scenario
    seed: int
    replication: int
    days: int
    start: pd.Timestamp
    end: pd.Timestamp

    @property
    def events(self) -> pd.DataFrame:
        """The events table."""
        return self.log.events

    @property
    def cases(self) -> pd.DataFrame:
        """The cases table."""
        return self.log.cases

    def check(self, rules: object = None):  # noqa: ANN201 - CheckResult, imported lazily
        """Judge the log against ``rules`` (default: the built-in rules) as of the horizon."""
        from svcsim.rules import check

        return check(self.log, rules, as_of=self.end)  # type: ignore[arg-type]


def simulate(scenario: Scenario | str | Path, seed: int = 0, replication: int = 0,
             days: int | None = None, *, progress: Callable[[int, int], None] | None = None) -> Run:
    """Simulate ``scenario`` for its horizon (or ``days``) with one seed and replication.

    The same arguments give the same log, bit for bit. ``progress(done, total)``
    is called after each simulated day when given.
    """
    scenario = load_scenario(scenario)
    days = scenario.horizon_days if days is None else int(days)
    if days < 1:
        from svcsim.errors import InputError

        raise InputError(f"days = {days}", field="days", expected="a whole number of days >= 1")
    clock = SimClock(scenario, days)
    env = simpy.Environment()
    recorder = Recorder()
    world = build_world(env, scenario, Streams(seed, replication), clock, recorder)
    if progress is None:
        env.run(until=clock.horizon)
    else:
        for day in range(1, days + 1):
            env.run(until=min(clock.horizon, clock.minute(clock.first_date, 1440 * day)))
            progress(day, days)
    world.calls.flush(clock.horizon)
    log = event_log(recorder, world.book, clock, world.zones)
    end = clock.start + pd.Timedelta(minutes=clock.horizon)
    return Run(log=log, utilisation=utilisation(recorder, clock, world.duty, world.staff),
               busy=busy_table(recorder), duty=world.duty,
               scenario=scenario, seed=int(seed), replication=int(replication), days=days,
               start=clock.start, end=end)

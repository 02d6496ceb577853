"""One simulation run: a scenario, a seed and a replication in; a :class:`Run` out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

from svcsim.arguments import days_named, whole_number
from svcsim.des.cases import CaseBook
from svcsim.des.recorder import Recorder
from svcsim.errors import InputError
from svcsim.eventlog import EventLog
from svcsim.processes.spares import SparesStore, palm_demand
from svcsim.scenario.distribution import freeze
from svcsim.scenario.load import load_scenario
from svcsim.scenario.model import Scenario, SinglePart
from svcsim.simulation.clock import SimClock
from svcsim.simulation.draws import in_minutes
from svcsim.simulation.judged import (
    judged_busy,
    judged_duty,
    judged_groups,
    judged_log,
    judged_trace,
)
from svcsim.simulation.results import busy_table, event_log, stock_table
from svcsim.simulation.results import stock_trace as trace_table
from svcsim.simulation.satisfaction import answers
from svcsim.simulation.utilisation import DutyGroups, role_utilisation
from svcsim.simulation.world import build_world
from svcsim.streams import Streams

__all__ = ["Run", "simulate"]


@dataclass(frozen=True, eq=False)
class Run:
    """The result of one run, and where it came from.

    ``log`` is the event log in the canonical shape (``log.events``,
    ``log.cases``); ``utilisation`` has one row per role; ``busy`` the busy
    records it is computed from (resource, role, start and end in minutes
    since ``start``); ``duty`` when anyone of each role is on duty (minutes),
    ``groups`` each role's shift groups as ``(count, intervals)``; ``start`` and
    ``end`` are the horizon in the scenario's zone: judge the log ``as_of``
    ``end`` (:meth:`check` does), so open cases are reported as open.
    ``stock`` has one row per part (sku, base_stock, unit_cost, demands,
    issued_from_stock_at_once, backordered, fill_rate, doa, scrapped,
    new_buys, on_hand_end, at_vendor_end: :func:`svcsim.simulation.results.stock_table`);
    ``stock_trace``, when asked for, the store's levels after every change
    (minute, sku, on_hand, issued, in_transit, at_admin, at_vendor,
    scrapped, owed, backorders, base_stock).

    ``warmup_days`` days were simulated before ``start`` and are not in any
    of these tables (:mod:`svcsim.simulation.judged`): ``start`` .. ``end``
    is the judged horizon, minute 0 of ``busy``, ``duty``, ``groups`` and
    ``stock_trace`` is ``start`` (the trace keeps its warm-up rows at
    negative minutes), ``new_buys`` counts the horizon's. :meth:`check`
    counts attainment over the verdicts due by ``end``
    (:mod:`svcsim.rules.horizon`): a target that cannot fall due inside the
    horizon is reported not yet due.
    """

    log: EventLog
    utilisation: pd.DataFrame
    busy: pd.DataFrame
    duty: dict[str, list[tuple[float, float]]]
    scenario: Scenario | SinglePart
    seed: int
    replication: int
    days: int
    start: pd.Timestamp
    end: pd.Timestamp
    stock: pd.DataFrame = field(default_factory=pd.DataFrame)
    stock_trace: pd.DataFrame | None = None
    groups: DutyGroups = field(default_factory=dict)
    batch_analyses: pd.DataFrame = field(default_factory=pd.DataFrame)
    warmup_days: int = 0

    @property
    def events(self) -> pd.DataFrame:
        """The events table."""
        return self.log.events

    @property
    def cases(self) -> pd.DataFrame:
        """The cases table."""
        return self.log.cases

    def check(self, rules: object = None):  # noqa: ANN201 - CheckResult, imported lazily
        """Judge the log against ``rules`` as of the horizon; the summary counts the verdicts due by then.

        The default is the built-in rules measured on the scenario's own
        service calendar (:func:`svcsim.scenario.judging.scenario_rules`):
        the hours, zone and closures the center was simulated with.
        """
        from dataclasses import replace

        from svcsim.rules import check
        from svcsim.rules.horizon import horizon_summary

        if rules is None:
            rules = self.rules()
        result = check(self.log, rules, as_of=self.end)  # type: ignore[arg-type]
        return replace(result, summary=horizon_summary(result.summary, result.results, result.as_of))

    def rules(self):  # noqa: ANN201 - RuleSet, imported lazily
        """The built-in rules on the service calendar this run was simulated with."""
        from svcsim.rules import load_rules
        from svcsim.scenario.judging import scenario_rules

        if isinstance(self.scenario, SinglePart):
            return load_rules(None)
        last_day = (self.end - pd.Timedelta(nanoseconds=1)).date()
        return scenario_rules(self.scenario, (self.start.year, last_day.year))


def simulate(scenario: Scenario | SinglePart | str | Path, seed: int = 0, replication: int = 0,
             days: int | None = None, *, warmup_days: int | None = None,
             progress: Callable[[int, int], None] | None = None, stock_trace: bool = False) -> Run:
    """Simulate ``scenario`` for its horizon (or ``days``) with one seed and replication, starting warm.

    ``warmup_days`` (default: the scenario's ``run.warmup_days``; built-in
    ``baseline``: 150) are simulated *before* the scenario's ``start`` and
    never judged: the run's log, utilisation and stock table cover the
    horizon ``start`` .. ``start + days`` only, the way
    :mod:`svcsim.simulation.judged` says. ``warmup_days=0`` is a cold run
    (full shelves, an idle center at ``start``). The same arguments give the
    same log, bit for bit; a different warm-up gives a different (equally
    valid) sample. ``progress(done, total)`` is called after each simulated
    day, warm-up included. ``stock_trace=True`` keeps the store's levels
    after every change in ``run.stock_trace``. A
    :class:`~svcsim.scenario.model.SinglePart` (:func:`svcsim.scenarios.single_part`)
    runs the Palm validation case on the same store (always cold).
    """
    seed = whole_number(seed, "seed", function="simulate")
    replication = whole_number(replication, "replication", function="simulate")
    if not isinstance(scenario, SinglePart):
        scenario = load_scenario(scenario)
    given_days = days
    days = scenario.horizon_days if days is None else whole_number(days, "days", function="simulate", minimum=1)
    if isinstance(scenario, SinglePart):
        return _simulate_single_part(scenario, int(seed), int(replication), days, stock_trace)
    warm = scenario.run.warmup_days if warmup_days is None else whole_number(warmup_days, "warmup_days",
                                                                            function="simulate")
    _within_call_limit(scenario, warm + days)
    simulated = scenario.model_copy(update={"start": scenario.start - dt.timedelta(days=warm)}) if warm else scenario
    with days_named(given_days, function="simulate"):
        clock = SimClock(simulated, warm + days)
    env = simpy.Environment()
    recorder = Recorder()
    world = build_world(env, simulated, Streams(seed, replication), clock, recorder, stock_trace=stock_trace)
    begin = float(clock.minute(scenario.start, 0)) if warm else 0.0
    new_buys_before = _run_through(env, clock, begin, world.store, progress)
    world.calls.flush(clock.horizon)
    base = scenario.installed_base
    full = event_log(recorder, world.book, clock, world.zones, world.store.skus,
                     batches=None if base is None else [(b.model, b.batch) for b in base.batches])
    start = clock.start + pd.Timedelta(minutes=begin)
    end = clock.start + pd.Timedelta(minutes=clock.horizon)
    p = scenario.probabilities
    if p.dissatisfied or p.dissatisfied_per_missed_target or p.dissatisfied_repeat_fault:
        from svcsim.scenario.judging import scenario_rules

        rules = scenario_rules(scenario, (clock.start.year, (end - pd.Timedelta(nanoseconds=1)).year))
        full = answers(full, rules, p, seed=int(seed), replication=int(replication), as_of=end)
    log = judged_log(full, start) if warm else full
    busy = judged_busy(busy_table(recorder), begin)
    groups = judged_groups(world.groups, begin)
    stock = stock_table(log, world.store, [part.unit_cost for part in scenario.spares.parts])
    stock["new_buys"] = stock["new_buys"].to_numpy() - np.asarray(new_buys_before, dtype=np.int64)
    analyses = analysis_table(world.analyses, scenario, recorder.resource_names, clock, begin)
    return Run(log=log, utilisation=role_utilisation(busy, groups, end=clock.horizon - begin),
               busy=busy, duty=judged_duty(world.duty, begin), groups=groups,
               scenario=scenario, seed=int(seed), replication=int(replication), days=days,
               start=start.tz_convert(scenario.timezone), end=end, stock=stock,
               stock_trace=judged_trace(trace_table(world.store), begin), warmup_days=warm,
               batch_analyses=analyses)


def analysis_table(analyses: list, scenario: Scenario, names: list[str], clock: SimClock,
                   begin: float) -> pd.DataFrame:
    """Technical support's analyses of flagged batches flagged in the judged horizon: batch, times, engineer."""
    base = scenario.installed_base
    kept = [a for a in analyses if a.flagged >= begin] if base is not None else []

    def stamp(minutes: list[float]) -> pd.Series:
        ns = clock.ns(np.nan_to_num(np.asarray(minutes, dtype=float), nan=0.0))
        out = pd.Series(pd.DatetimeIndex(ns.view("M8[ns]")).tz_localize("UTC").tz_convert(scenario.timezone))
        return out.where(~np.isnan(np.asarray(minutes, dtype=float)))

    return pd.DataFrame({
        "model": [base.batches[a.batch].model for a in kept] if base else [],
        "batch": [base.batches[a.batch].batch for a in kept] if base else [],
        "flagged": stamp([a.flagged for a in kept]),
        "started": stamp([a.started for a in kept]),
        "done": stamp([a.done for a in kept]),
        "engineer": [names[a.resource] if a.resource >= 0 else None for a in kept],
    })


def _run_through(env: simpy.Environment, clock: SimClock, begin: float, store: SparesStore,
                 progress: Callable[[int, int], None] | None) -> list[int]:
    """Run to the horizon, stopping at the judged start ``begin``; the store's new buys by then, per part."""
    if progress is None:
        if begin > 0:
            env.run(until=begin)
        before = list(store.new_buys)
        env.run(until=clock.horizon)
        return before
    before = [0] * len(store.skus)
    for day in range(1, clock.days + 1):
        env.run(until=min(clock.horizon, clock.minute(clock.first_date, 1440 * day)))
        if env.now <= begin:
            before = list(store.new_buys)
        progress(day, clock.days)
    return before


#: The most calls one run may ask for on average (about 500 years of baseline): past it memory runs out first.
MAX_CALLS = 20_000_000


def _within_call_limit(scenario: Scenario, days: int) -> None:
    """Refuse, before any work, a run whose expected number of calls exceeds :data:`MAX_CALLS`."""
    expected = sum(scenario.demand.calls_per_day.values()) / 7.0 * days * max(1.0, scenario.demand.holiday_factor)
    if expected > MAX_CALLS:
        raise InputError(f"{scenario.name}: {days} days at these calls_per_day ask for about {expected:,.0f} calls",
                         field="demand.calls_per_day",
                         expected=f"at most {MAX_CALLS:,} calls in one run (fewer days, or fewer calls a day)")


def _simulate_single_part(part: SinglePart, seed: int, replication: int, days: int, trace: bool) -> Run:
    """One part, Poisson demand straight onto the store (:func:`~svcsim.processes.spares.palm_demand`)."""
    clock = SimClock(Scenario(start=part.start, timezone=part.timezone, calendar={"country": "none"}), days)
    env = simpy.Environment()
    recorder = Recorder()
    streams = Streams(seed, replication)
    gap = streams.sampler("part_demand", freeze("expon", scale=1440.0 / part.demand_rate))
    resupply = streams.sampler("vendor_turnaround", in_minutes(part.resupply))
    store = SparesStore(env, recorder, skus=[part.sku], base_stock=[part.stock], trace=trace)
    book = CaseBook()
    env.process(palm_demand(env, store, recorder, book, gap=gap, resupply=resupply))
    env.run(until=clock.horizon)
    log = event_log(recorder, book, clock, ["site"], store.skus)
    empty = pd.DataFrame({"role": pd.Series(dtype=object)})
    return Run(log=log, utilisation=empty, busy=busy_table(recorder), duty={}, scenario=part, seed=seed,
               replication=replication, days=days, start=clock.start,
               end=clock.start + pd.Timedelta(minutes=clock.horizon),
               stock=stock_table(log, store, [part.unit_cost]), stock_trace=trace_table(store))

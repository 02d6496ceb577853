"""Wiring one run: the case book, the streams' samplers, the roles and their processes.

Samplers are made in a fixed order that does not depend on staffing or
stock, so a staffing or stock change never moves a stream (common random
numbers); the spares samplers come last, one per part in catalogue order.
Field engineers are split across zones by demand share when they are not
shared (largest remainder, at least one per zone with demand when there
are enough engineers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from svcsim.des.cases import KIND_CODES, CaseBook
from svcsim.des.pool import WorkPool, shift_ends, worker
from svcsim.des.recorder import Recorder
from svcsim.processes.aftercare import Aftercare
from svcsim.processes.bench_engineers import BenchShop
from svcsim.processes.callers import arrivals, draw_calls
from svcsim.processes.dispatchers import SHARED, DispatchBoard, dispatcher
from svcsim.processes.field_engineers import FieldCrew, FieldEngineer
from svcsim.processes.operators import CallQueue, Operators
from svcsim.processes.spares import SparesStore
from svcsim.processes.tech_support import TechSupport
from svcsim.processes.vendor import VendorLoop
from svcsim.scenario.distribution import Dist, freeze
from svcsim.scenario.model import CALL_KINDS, Scenario
from svcsim.simulation.clock import SimClock
from svcsim.streams import Streams

__all__ = ["World", "build_world", "zone_split"]


@dataclass
class World:
    """What a run needs after it is built: the book, the queue to flush, the rosters, the store."""

    book: CaseBook
    calls: CallQueue
    zones: list[str]
    duty: dict[str, list[tuple[float, float]]]
    staff: dict[str, int]
    store: SparesStore


def zone_split(count: int, shares: dict[str, float]) -> list[int]:
    """Engineers per zone, in ``shares`` order, by largest remainder (>= 1 where there is demand)."""
    names = list(shares)
    weights = np.array([shares[z] for z in names], dtype=float)
    weights = weights / weights.sum()
    active = weights > 0
    base = np.zeros(len(names), dtype=int)
    if count >= int(active.sum()):
        base[active] = 1
    rest = count - int(base.sum())
    exact = weights * rest
    base += np.floor(exact).astype(int)
    left = count - int(base.sum())
    order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    base[order[:left]] += 1
    return base.tolist()


def build_world(env: simpy.Environment, scenario: Scenario, streams: Streams, clock: SimClock,
                rec: Recorder, *, stock_trace: bool = False) -> World:
    """Draw the calls, build every role and start every process."""
    t, p, staffing = scenario.times, scenario.probabilities, scenario.staffing
    zones = list(scenario.demand.zones)
    book = CaseBook()
    plan = draw_calls(
        book, streams, clock.hourly_rates(scenario.demand),
        mix=np.array([scenario.demand.mix.get(k, 0.0) for k in CALL_KINDS]),
        zones=np.array([scenario.demand.zones[z] for z in zones]),
        p_software=p.software_fault, p_urgent=p.urgent, p_warranty=p.in_warranty,
        handle=t.handle.frozen(), patience=None if scenario.patience is None else scenario.patience.frozen(),
    )

    def s(stream: str, dist: Any) -> Any:
        return streams.sampler(stream, dist.frozen())

    travel = [s("travel", t.travel[z]) if z in t.travel else (lambda: 0.0) for z in zones]
    tech_time, tech_chance = s("tech_support", t.tech_support), streams.uniform("tech_support")
    dispatch_time, callback_time = s("dispatch", t.dispatch), s("callback", t.callback)
    diagnosis = s("diagnosis", t.diagnosis)
    repair, software_fix = s("repair", t.repair), s("repair", t.software_fix)
    part_field, part_bench = streams.uniform("parts"), streams.uniform("parts")
    bench_test, bench_repair = s("bench", t.bench_test), s("bench", t.bench_repair)
    fails, repeat_delay = streams.uniform("repeat_faults"), s("repeat_faults", t.repeat_delay)
    patience = scenario.patience
    repeat_patience = (lambda: float("inf")) if patience is None else s("repeat_calls", patience)
    repeat_handle, repeat_chance = s("repeat_calls", t.handle), streams.uniform("repeat_calls")
    meeting = s("complaints", t.complaint_meeting)
    carry_in, mail = s("units", t.carry_in_delay), s("units", t.mail_transit)
    bad_part_delay = s("bad_parts", t.bad_part_return)
    spares = scenario.spares
    catalogue = spares.parts
    part_pick, doa_chance = streams.uniform("part_sku"), streams.uniform("doa")
    turnaround = [streams.sampler("vendor_turnaround", _in_minutes(part.turnaround)) for part in catalogue]
    scrap_chance = streams.uniform("scrap")
    new_buy = [streams.sampler("new_buys", _in_minutes(part.new_buy_lead_time)) for part in catalogue]
    follow_up_work = s("admin_work", spares.follow_ups.work)

    calls = CallQueue(env, book, rec)
    board = DispatchBoard(staffing.dispatch_policy,
                          travel_minutes=[float(t.travel[z].frozen().mean()) if z in t.travel else 0.0 for z in zones])
    parts_store = SparesStore(
        env, rec, skus=[part.sku for part in catalogue], base_stock=[part.base_stock for part in catalogue],
        unlimited=spares.store == "unlimited", shares=[part.demand_share for part in catalogue], pick=part_pick,
        doa=doa_chance, doa_share=spares.doa_share, trace=stock_trace)
    duty: dict[str, list[tuple[float, float]]] = {}
    counts: dict[str, int] = {}

    def roster(role: str, label: str, spec: Any) -> list[tuple[int, list[tuple[float, float]]]]:
        duty[role] = clock.duty(spec.shift)
        counts[role] = spec.count
        return [(rec.resource(f"{label} {i + 1}", role), duty[role]) for i in range(spec.count)]

    admins = roster("spares_admin", "spares administrator", spares.administrators)
    fu = spares.follow_ups
    vendor = VendorLoop(env, book, rec, parts_store, resource=admins[0][0] if admins else -1,
                        next_pickup=clock.next_pickup, turnaround=turnaround, scrap=scrap_chance,
                        scrap_share=[part.scrap_share for part in catalogue], new_buy=new_buy,
                        follow_up_after=[1440.0 * d for d in (fu.confirm_after, fu.inform_after, fu.contact_after)]
                        if admins else [],
                        work=follow_up_work)
    after = Aftercare(
        env, book, rec, post_callback=board.post_callback, calls=calls, store=parts_store, vendor=vendor,
        next_open=clock.next_open, fails=fails, p_fail=(p.fix_fails_software, p.fix_fails_hardware),
        repeat_delay=repeat_delay, repeat_patience=repeat_patience, repeat_handle=repeat_handle,
        repeat_chance=repeat_chance, bad_part_delay=bad_part_delay)
    tech_pool = WorkPool()
    tech = TechSupport(env, book, rec, time=tech_time, chance=tech_chance, p_solves=p.tech_solves,
                       dispatch=board.post)
    bench = BenchShop(env, book, rec, parts_store, next_open=clock.next_open, carry_in_delay=carry_in,
                      mail_transit=mail, test=bench_test, repair=bench_repair, part_needed=part_bench,
                      p_part=p.part_needed, done=after.done, doa_back=after.dead_on_arrival,
                      mail_kind=KIND_CODES["mail_in"])
    supervisors = simpy.Store(env) if staffing.supervisor.count else None
    sales = simpy.Store(env) if staffing.sales_lead.count else None
    team_duty = [clock.duty(spec.shift) for spec in (staffing.supervisor, staffing.sales_lead) if spec.count]

    def team_on_duty(minute: float) -> float:
        ready = minute
        for _ in range(1000):  # alternate until a minute when every member is on duty
            later = max([ready, *(clock.next_on_duty(d, ready) for d in team_duty)])
            if later == ready or later == float("inf"):
                return later
            ready = later
        return float("inf")

    crew = FieldCrew(env, book, rec, board, parts_store, travel=travel, diagnosis=diagnosis, repair=repair,
                     software_fix=software_fix, meeting=meeting, part_needed=part_field,
                     p_part=p.part_needed, supervisors=supervisors, sales_leads=sales,
                     team_on_duty=team_on_duty, done=after.done, doa_back=after.dead_on_arrival)
    ops = Operators(env, book, rec, calls, p_solved=p.solved_by_phone, p_quote_declined=p.quote_declined,
                    p_major=p.major_complaint, escalate=tech_pool.put, dispatch=board.post,
                    bench=bench.unit_on_its_way)

    for me, d in admins:
        env.process(worker(env, d, vendor.pool, vendor.serve(me)))
    env.process(shift_ends(env, clock.shift_ends(duty["spares_admin"]), vendor.pool.release_idle))
    for me, d in roster("operators", "operator", staffing.operators):
        env.process(ops.operator(me, d))
    env.process(shift_ends(env, clock.shift_ends(duty["operators"]), calls.release_idle))
    for me, d in roster("tech_support", "tech support", staffing.tech_support):
        env.process(worker(env, d, tech_pool, tech.serve(me)))
    env.process(shift_ends(env, clock.shift_ends(duty["tech_support"]), tech_pool.release_idle))
    for me, d in roster("dispatchers", "dispatcher", staffing.dispatchers):
        env.process(dispatcher(env, me, d, board, rec, dispatch_time, callback_time))
    env.process(shift_ends(env, clock.shift_ends(duty["dispatchers"]), board.release_idle))
    fe = staffing.field_engineers
    homes = [SHARED] * fe.count if fe.shared else [
        z for z, n in enumerate(zone_split(fe.count, scenario.demand.zones)) for _ in range(n)]
    for (me, d), home in zip(roster("field_engineers", "field engineer", fe), homes, strict=True):
        env.process(crew.engineer(FieldEngineer(me, home, d)))
    env.process(shift_ends(env, clock.shift_ends(duty["field_engineers"]), board.engineers_off))
    for me, d in roster("bench_engineers", "bench engineer", staffing.bench_engineers):
        env.process(worker(env, d, bench.pool, bench.serve(me)))
    env.process(shift_ends(env, clock.shift_ends(duty["bench_engineers"]), bench.pool.release_idle))
    for store, role, label, spec in ((supervisors, "supervisor", "supervisor", staffing.supervisor),
                                     (sales, "sales_lead", "sales lead", staffing.sales_lead)):
        for me, _ in roster(role, label, spec):
            store.items.append(me)  # type: ignore[union-attr]
    duty["spares_admin"], counts["spares_admin"] = duty.pop("spares_admin"), counts.pop("spares_admin")
    env.process(arrivals(env, plan, calls, rec))
    return World(book=book, calls=calls, zones=zones, duty=duty, staff=counts, store=parts_store)


def _in_minutes(days: Dist) -> Any:
    """A distribution written in days, frozen in minutes (every scipy family has loc and scale)."""
    params = dict(days.params)
    params["scale"] = 1440.0 * float(params.get("scale", 1.0))
    params["loc"] = 1440.0 * float(params.get("loc", 0.0))
    return freeze(days.dist, **params)

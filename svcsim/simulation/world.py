"""Wiring one run: the case book, the streams' samplers, the roles and their processes.

:func:`build_world` reads as the center is set up: the calls are drawn, then
the samplers every role needs (:mod:`svcsim.simulation.draws`: in a fixed order that does not depend on
staffing or stock, so a staffing or stock change never moves a stream:
common random numbers; the spares samplers come last, one per part in
catalogue order), then the roles, then their rosters, then every process
starts. Field engineers are split across zones by demand share when they
are not shared (largest remainder, at least one per zone with demand when
there are enough engineers).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from svcsim.des.cases import KIND_CODES, CaseBook, Job
from svcsim.des.pool import Duty, WorkPool, shift_ends, worker
from svcsim.des.recorder import CODE, Recorder
from svcsim.metrics.batches import monitor
from svcsim.processes.aftercare import Aftercare
from svcsim.processes.appointments import Appointments
from svcsim.processes.back_office import FOLLOW_UP, BackOffice
from svcsim.processes.batch_watch import BatchAnalysis, daily_reports, release_analyses
from svcsim.processes.bench_engineers import BenchShop
from svcsim.processes.callers import arrivals, draw_calls, draw_installed_base
from svcsim.processes.cancellations import Cancellations
from svcsim.processes.dispatch_policies import ASSIGNMENTS, TICKET_ORDERS
from svcsim.processes.dispatchers import SHARED, DispatchBoard, dispatcher
from svcsim.processes.doa_units import DoaUnits
from svcsim.processes.engineer import FieldEngineer
from svcsim.processes.field_engineers import ComplaintTeam, FieldCrew
from svcsim.processes.operators import CallQueue, Operators
from svcsim.processes.spares import SparesStore
from svcsim.processes.tech_support import TechSupport
from svcsim.processes.vendor import VendorLoop
from svcsim.scenario.model import CALL_KINDS, Role, Scenario
from svcsim.simulation.clock import SimClock
from svcsim.simulation.draws import draws
from svcsim.streams import Streams

__all__ = ["World", "build_world", "zone_split"]

_REPAIRED = CODE["repaired"]


@dataclass
class World:
    """What a run needs after it is built: the book, the queue to flush, the rosters, the store.

    ``duty`` is when anyone of a role is on duty, ``groups`` each shift
    group's head count and intervals, ``staff`` each role's head count;
    ``analyses`` technical support's analyses of flagged batches.
    """

    book: CaseBook
    calls: CallQueue
    zones: list[str]
    duty: dict[str, list[tuple[float, float]]]
    staff: dict[str, int]
    groups: dict[str, list[tuple[int, Duty]]]
    store: SparesStore
    analyses: list[BatchAnalysis] = field(default_factory=list)


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


# -- the rosters -----------------------------------------------------------------------
class Rosters:
    """Each role's workers (resource codes) by shift group, with their on-duty intervals.

    ``groups[role]`` is ``[(count, duty), ...]``, one entry per shift group;
    ``duty[role]`` the union of the groups' intervals (when anyone of the
    role is on duty) and ``staff[role]`` the role's head count.
    """

    def __init__(self, recorder: Recorder, clock: SimClock) -> None:
        self.recorder, self.clock = recorder, clock
        self.groups: dict[str, list[tuple[int, Duty]]] = {}
        self.duty: dict[str, Duty] = {}
        self.staff: dict[str, int] = {}

    def workers(self, role: str, label: str, spec: Role) -> list[list[tuple[int, Duty]]]:
        """Register ``spec``'s workers, named ``label 1``, ``label 2``...: one list of ``(resource, duty)`` per group."""
        groups, numbered = [], 0
        for group in spec.shift_groups():
            duty = self.clock.duty(group.shift)
            groups.append([(self.recorder.resource(f"{label} {numbered + i + 1}", role), duty)
                           for i in range(group.count)])
            numbered += group.count
        self.groups[role] = [(len(members), members[0][1] if members else []) for members in groups]
        self.duty[role] = _union([duty for _, duty in self.groups[role]])
        self.staff[role] = spec.count
        return groups

    def ends(self, env: simpy.Environment, duty: Duty, release: Callable[[], None]) -> None:
        """At each end of ``duty`` (one group's intervals), send the idle workers off duty."""
        env.process(shift_ends(env, self.clock.shift_ends(duty), release))

    def start(self, env: simpy.Environment, role: str, release: Callable[[], None]) -> None:
        """At each end of any of ``role``'s group shifts, send its idle workers off duty."""
        for _, duty in self.groups[role]:
            self.ends(env, duty, release)


def _union(duties: list[Duty]) -> Duty:
    """The on-duty intervals of several groups merged into one sorted, disjoint list."""
    merged: Duty = []
    for on, off in sorted(interval for duty in duties for interval in duty):
        if merged and on <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], off))
        else:
            merged.append((on, off))
    return merged


def _onsite_minutes(scenario: Scenario) -> Callable[[Job], float]:
    """What a dispatcher expects a job to take once the engineer is there: the means of its steps."""
    t, p = scenario.times, scenario.probabilities
    diagnosis, repair = float(t.diagnosis.frozen().mean()), float(t.repair.frozen().mean())
    software = float(t.software_fix.frozen().mean())
    paperwork = 0.0 if t.paperwork is None else float(t.paperwork.frozen().mean())
    visit = diagnosis + p.software_fault * software + (1 - p.software_fault) * repair + paperwork
    meeting = float(t.complaint_meeting.frozen().mean())

    def onsite(job: Job) -> float:
        return meeting if job.meeting else visit
    return onsite


def _team_on_duty(clock: SimClock, duties: list[Duty]) -> Callable[[float], float]:
    def team_on_duty(minute: float) -> float:
        ready = minute
        for _ in range(1000):  # alternate until a minute when every member is on duty
            later = max([ready, *(clock.next_on_duty(d, ready) for d in duties)])
            if later == ready or later == float("inf"):
                return later
            ready = later
        return float("inf")
    return team_on_duty


def build_world(env: simpy.Environment, scenario: Scenario, streams: Streams, clock: SimClock,
                rec: Recorder, *, stock_trace: bool = False) -> World:
    """Draw the calls, build every role and start every process."""
    p, staffing, spares = scenario.probabilities, scenario.staffing, scenario.spares
    zones = list(scenario.demand.zones)
    book = CaseBook()
    plan = draw_calls(
        book, streams, clock.hourly_rates(scenario.demand),
        mix=np.array([scenario.demand.mix.get(k, 0.0) for k in CALL_KINDS]),
        zones=np.array([scenario.demand.zones[z] for z in zones]),
        p_software=p.software_fault, p_urgent=p.urgent, p_warranty=p.in_warranty,
        handle=scenario.times.handle.frozen(),
        patience=None if scenario.patience is None else scenario.patience.frozen(),
    )
    base = scenario.installed_base
    extra = None if base is None else draw_installed_base(
        book, streams, plan, clock.hourly_rates(scenario.demand), shares=np.array(base.shares()),
        multipliers=np.array(base.multipliers(clock.days, scenario.start)),
        mix=np.array([scenario.demand.mix.get(k, 0.0) for k in CALL_KINDS]),
        zones=np.array([scenario.demand.zones[z] for z in zones]),
        p_software=p.software_fault, p_urgent=p.urgent, p_warranty=p.in_warranty,
        handle=scenario.times.handle.frozen(),
        patience=None if scenario.patience is None else scenario.patience.frozen())
    d = draws(scenario, streams)
    rosters = Rosters(rec, clock)

    # the roles
    calls = CallQueue(env, book, rec)
    fe = staffing.field_engineers
    board = DispatchBoard(env, TICKET_ORDERS[staffing.dispatch_policy](), ASSIGNMENTS[fe.assignment](),
                          max_assigned=fe.max_assigned, queue_after=fe.queue_after_minutes, overtime=fe.overtime_minutes,
                          travel=d.travel,
                          onsite_minutes=_onsite_minutes(scenario), reassign_after=fe.reassign_after_minutes)
    catalogue = spares.parts
    store = SparesStore(
        env, rec, skus=[part.sku for part in catalogue], base_stock=[part.base_stock for part in catalogue],
        unlimited=spares.store == "unlimited", shares=[part.demand_share for part in catalogue],
        pick=d.spares.part_pick, dead=d.spares.doa, dead_share=spares.dead_spare_share, trace=stock_trace)
    admins = rosters.workers("spares_admin", "spares administrator", spares.administrators)
    buyers = rosters.workers("purchasing", "purchasing officer", spares.purchasing)
    fu, bo = spares.follow_ups, d.back_office
    first_admin = next((me for group in admins for me, _ in group), -1)
    cancellations = Cancellations(env, book, rec, p_request=p.cancel_request, chance=bo.cancel_chance,
                                  delay=bo.cancel_delay, withdraw=board.withdraw)
    board.cancelled = cancellations.cancelled
    office = BackOffice(env, book, rec, store, resource=first_admin, next_pickup=clock.next_pickup,
                        check_time=bo.warranty_check, pack_time=bo.packing, follow_up_time=d.spares.follow_up_work,
                        p_declined=p.quote_declined, to_bench=lambda case: bench.checked(case),
                        paid=cancellations.quote_accepted, shipped=board.post_callback)
    vendor = VendorLoop(env, book, rec, store, turnaround=d.spares.turnaround, unit_turnaround=bo.unit_turnaround,
                        scrap=d.spares.scrap, scrap_share=[part.scrap_share for part in catalogue],
                        new_buy=d.spares.new_buy,
                        follow_up_after=[1440.0 * days for days in (fu.confirm_after, fu.inform_after,
                                                                    fu.contact_after)] if first_admin >= 0 else [],
                        follow_up_due=office.follow_up_due, unit_back=lambda item: unit_back(item),
                        purchasing_time=bo.purchasing, exchange=bo.exchange, p_exchange=p.doa_exchanged,
                        follow_up_code=FOLLOW_UP)
    office.vendor = vendor
    a = d.aftercare
    after = Aftercare(
        env, book, rec, post_callback=board.post_callback, calls=calls, store=store, office=office,
        next_open=clock.next_open, fails=a.fails, p_fail=(p.fix_fails_software, p.fix_fails_hardware),
        repeat_delay=a.repeat_delay, repeat_patience=a.repeat_patience, repeat_handle=a.repeat_handle,
        repeat_chance=a.repeat_chance, bad_part_delay=a.bad_part_delay)

    def unit_back(item: int) -> None:
        """A customer's unit came back from the supplier, repaired: to its ticket, and back to the customer."""
        ticket = book.parent[item]
        rec.event(ticket, _REPAIRED, env.now, -1)
        after.fixed(ticket, -1, -1, False)
        office.ship_back(ticket)

    appointments = Appointments(env, rec, post=board.post, p_appointment=p.appointment,
                                chance=d.office.appointment_chance, lead=d.office.appointment_lead,
                                next_open=clock.next_open)
    tech_pool = WorkPool()
    tech = TechSupport(env, book, rec, time=d.office.tech_time, chance=d.office.tech_chance,
                       analysis_time=d.back_office.batch_analysis,
                       p_solves=p.tech_solves, dispatch=appointments.logged)
    b = d.bench
    bench = BenchShop(env, book, rec, store, office, cancellations, next_open=clock.next_open,
                      carry_in_delay=b.carry_in, mail_transit=b.mail, test=b.test, repair=b.repair,
                      part_needed=b.part_needed, p_part=p.part_needed, to_supplier=bo.to_supplier,
                      p_to_supplier=(p.unit_to_supplier_software, p.unit_to_supplier_hardware),
                      done=lambda case, sku, me: after.fixed(case, sku, me, False), dead_back=after.dead_spare,
                      mail_kind=KIND_CODES["mail_in"])
    doa = DoaUnits(env, book, office, p_doa=p.doa_unit, chance=bo.doa_unit, first_use=bo.first_use,
                   next_open=clock.next_open)
    supervisors = simpy.Store(env) if staffing.supervisor.count else None
    sales = simpy.Store(env) if staffing.sales_lead.count else None
    team = ComplaintTeam(supervisors, sales, _team_on_duty(clock, [
        _union([clock.duty(g.shift) for g in spec.shift_groups() if g.count])
        for spec in (staffing.supervisor, staffing.sales_lead) if spec.count]))
    crew = FieldCrew(env, book, rec, board, store, d.travel, d.field, team, p_part=p.part_needed,
                     p_in_van=p.part_in_van,
                     p_not_ready=p.customer_not_ready,
                     back_when_idle=fe.back_to_center == "when_idle", overtime=fe.overtime_minutes, done=after.done,
                     hand_in=after.hand_in, started=cancellations.started)
    ops = Operators(env, book, rec, calls, p_solved=p.solved_by_phone, p_quote_declined=p.quote_declined,
                    p_major=p.major_complaint, escalate=tech_pool.put, dispatch=appointments.logged,
                    bench=bench.unit_on_its_way, paid=cancellations.quote_accepted, sold=doa.sold)

    # their rosters and working lives
    for me, duty in _every(admins):
        env.process(worker(env, duty, office.desk, office.serve(me)))
    rosters.start(env, "spares_admin", office.desk.release_idle)
    for me, duty in _every(buyers):
        env.process(worker(env, duty, vendor.purchasing, vendor.purchase(me)))
    rosters.start(env, "purchasing", vendor.purchasing.release_idle)
    for me, duty in _every(rosters.workers("operators", "operator", staffing.operators)):
        env.process(ops.operator(me, duty))
    rosters.start(env, "operators", calls.release_idle)
    for me, duty in _every(rosters.workers("tech_support", "tech support", staffing.tech_support)):
        env.process(worker(env, duty, tech_pool, tech.serve(me)))
    rosters.start(env, "tech_support", tech_pool.release_idle)
    for me, duty in _every(rosters.workers("dispatchers", "dispatcher", staffing.dispatchers)):
        env.process(dispatcher(env, me, duty, board, rec, d.office.dispatch_time, d.office.callback_time))
    rosters.start(env, "dispatchers", board.release_idle)
    for group, members in zip(fe.shift_groups(), rosters.workers("field_engineers", "field engineer", fe),
                              strict=True):
        homes = _homes(group.count, group.zone, fe.shared, scenario.demand.zones)
        engineers = [FieldEngineer(me, home, duty, d.travel.center)
                     for (me, duty), home in zip(members, homes, strict=True)]
        for engineer in engineers:
            env.process(crew.engineer(engineer))
        if members:
            rosters.ends(env, members[0][1], functools.partial(board.engineers_off, engineers))
    for me, duty in _every(rosters.workers("bench_engineers", "bench engineer", staffing.bench_engineers)):
        env.process(worker(env, duty, bench.pool, bench.serve(me)))
    rosters.start(env, "bench_engineers", bench.pool.release_idle)
    for members, role, label, spec in ((supervisors, "supervisor", "supervisor", staffing.supervisor),
                                       (sales, "sales_lead", "sales lead", staffing.sales_lead)):
        for me, _ in _every(rosters.workers(role, label, spec)):
            members.put(me)  # type: ignore[union-attr]
    duty, staff, groups = rosters.duty, rosters.staff, rosters.groups
    for table in (duty, staff, groups):  # the back office is listed last, as before
        table["spares_admin"] = table.pop("spares_admin")
        table["purchasing"] = table.pop("purchasing")
    env.process(arrivals(env, plan, calls, rec))
    if extra is not None:  # a batch's raised fault rate: its extra calls
        env.process(arrivals(env, extra, calls, rec))
    analyses: list[BatchAnalysis] = []
    if base is not None:  # technical support watches the batches, as the supervisor's KPI does
        shares = np.array(base.shares())
        counts = daily_reports(book, [plan] if extra is None else [plan, extra], len(shares), clock.days)
        flags = sorted(((b, day) for b, day, *_ in monitor(counts, shares).flags), key=lambda f: (f[1], f[0]))
        analyses = release_analyses(env, flags, clock.next_open, tech_pool.put)
    return World(book=book, calls=calls, zones=zones, duty=duty, staff=staff, groups=groups, store=store,
                 analyses=analyses)


def _every(groups: list[list[tuple[int, Duty]]]) -> list[tuple[int, Duty]]:
    """The workers of every group of a role, in order."""
    return [worker for group in groups for worker in group]


def _homes(count: int, zone: str | None, shared: bool, shares: dict[str, float]) -> list[int]:
    """Home zones of one group's field engineers: its own zone, shared, or split by demand share."""
    zones = list(shares)
    if zone is not None:
        return [zones.index(zone)] * count
    if shared:
        return [SHARED] * count
    return [z for z, n in enumerate(zone_split(count, shares)) for _ in range(n)]

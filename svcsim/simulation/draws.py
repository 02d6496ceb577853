"""The samplers of one run, made in a fixed order, grouped by the role that uses them.

:func:`draws` makes every sampler a run needs from the named streams
(:mod:`svcsim.streams`), in an order that does not depend on staffing or
stock, so a staffing or stock change never moves a stream (common random
numbers): never reorder, append. The spares samplers are made one per part
in catalogue order; the back office's come last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from svcsim.processes.field_engineers import FieldDraws
from svcsim.processes.travel import Travel, build_travel
from svcsim.scenario.distribution import Dist, freeze
from svcsim.scenario.model import Scenario
from svcsim.streams import Streams

__all__ = ["Draws", "draws", "in_minutes"]

Draw = Callable[[], float]


@dataclass(frozen=True)
class OfficeDraws:
    """Technical support, dispatchers, the satisfaction callback and customers' appointments."""

    tech_time: Draw
    tech_chance: Draw
    dispatch_time: Draw
    callback_time: Draw
    appointment_chance: Draw
    appointment_lead: Draw


@dataclass(frozen=True)
class BenchDraws:
    """Units on the bench: whether they need a part, their test and repair, their way in."""

    part_needed: Draw
    test: Draw
    repair: Draw
    carry_in: Draw
    mail: Draw


@dataclass(frozen=True)
class AftercareDraws:
    """Repeat faults, repeat calls and a bench engineer's bad-part hand-over."""

    fails: Draw
    repeat_delay: Draw
    repeat_patience: Draw
    repeat_handle: Draw
    repeat_chance: Draw
    bad_part_delay: Draw


@dataclass(frozen=True)
class SparesDraws:
    """The store and the vendor loop: which part, dead on arrival, turnaround, scrap, new buys, follow-ups."""

    part_pick: Draw
    doa: Draw
    turnaround: list[Draw]
    scrap: Draw
    new_buy: list[Draw]
    follow_up_work: Draw


@dataclass(frozen=True)
class BackOfficeDraws:
    """The administrators' checks and packing, customers' and DOA units, purchasing, cancellations."""

    warranty_check: Draw
    packing: Draw
    unit_turnaround: Draw
    to_supplier: Draw
    doa_unit: Draw
    first_use: Draw
    purchasing: Draw
    exchange: Draw
    cancel_chance: Draw
    cancel_delay: Draw
    batch_analysis: Draw


@dataclass(frozen=True)
class Draws:
    """Every sampler of one run, made in the fixed order of :func:`draws`."""

    travel: Travel
    office: OfficeDraws
    field: FieldDraws
    bench: BenchDraws
    aftercare: AftercareDraws
    spares: SparesDraws
    back_office: BackOfficeDraws


def draws(scenario: Scenario, streams: Streams) -> Draws:
    """The samplers of every role. The order they are made in fixes their sub-streams: never reorder."""
    t, spares = scenario.times, scenario.spares

    def s(stream: str, dist: Dist) -> Draw:
        return streams.sampler(stream, dist.frozen())

    travel = build_travel(scenario, streams)
    tech_time, tech_chance = s("tech_support", t.tech_support), streams.uniform("tech_support")
    dispatch_time, callback_time = s("dispatch", t.dispatch), s("callback", t.callback)
    diagnosis = s("diagnosis", t.diagnosis)
    repair, software_fix = s("repair", t.repair), s("repair", t.software_fix)
    part_field, part_bench = streams.uniform("parts"), streams.uniform("parts")
    bench_test, bench_repair = s("bench", t.bench_test), s("bench", t.bench_repair)
    fails, repeat_delay = streams.uniform("repeat_faults"), s("repeat_faults", t.repeat_delay)
    patience = scenario.patience
    repeat_patience: Draw = (lambda: float("inf")) if patience is None else s("repeat_calls", patience)
    repeat_handle, repeat_chance = s("repeat_calls", t.handle), streams.uniform("repeat_calls")
    meeting = s("complaints", t.complaint_meeting)
    carry_in, mail = s("units", t.carry_in_delay), s("units", t.mail_transit)
    bad_part_delay = s("bad_parts", t.bad_part_return)
    catalogue = spares.parts
    part_pick, doa = streams.uniform("part_sku"), streams.uniform("doa")
    turnaround = [streams.sampler("vendor_turnaround", in_minutes(part.turnaround)) for part in catalogue]
    scrap = streams.uniform("scrap")
    new_buy = [streams.sampler("new_buys", in_minutes(part.new_buy_lead_time)) for part in catalogue]
    follow_up_work = s("admin_work", spares.follow_ups.work)
    paperwork: Draw = (lambda: 0.0) if t.paperwork is None else s("paperwork", t.paperwork)
    not_ready, customer_delay = streams.uniform("customer_delay"), s("customer_delay", t.customer_delay)
    in_van = streams.uniform("van_stock")
    appointment_chance, appointment_lead = streams.uniform("appointments"), s("appointments", t.appointment_days)
    back_office = BackOfficeDraws(
        warranty_check=s("back_office", t.warranty_check), packing=s("back_office", t.packing),
        unit_turnaround=streams.sampler("unit_turnaround", in_minutes(spares.unit_turnaround)),
        to_supplier=streams.uniform("unit_fate"), doa_unit=streams.uniform("doa_units"),
        first_use=streams.sampler("doa_units", in_minutes(t.first_use_days)),
        purchasing=s("purchasing", t.purchasing), exchange=streams.uniform("purchasing"),
        cancel_chance=streams.uniform("cancellations"), cancel_delay=s("cancellations", t.cancel_request),
        batch_analysis=s("batch_analysis", t.batch_analysis))
    return Draws(
        travel=travel,
        office=OfficeDraws(tech_time, tech_chance, dispatch_time, callback_time, appointment_chance,
                           appointment_lead),
        field=FieldDraws(diagnosis=diagnosis, repair=repair, software_fix=software_fix, paperwork=paperwork,
                         customer_delay=customer_delay, not_ready=not_ready, part_needed=part_field, in_van=in_van,
                         meeting=meeting),
        bench=BenchDraws(part_bench, bench_test, bench_repair, carry_in, mail),
        aftercare=AftercareDraws(fails, repeat_delay, repeat_patience, repeat_handle, repeat_chance,
                                 bad_part_delay),
        spares=SparesDraws(part_pick, doa, turnaround, scrap, new_buy, follow_up_work),
        back_office=back_office,
    )


def in_minutes(days: Dist) -> Any:
    """A distribution written in days, frozen in minutes (every scipy family has loc and scale)."""
    params = dict(days.params)
    params["scale"] = 1440.0 * float(params.get("scale", 1.0))
    params["loc"] = 1440.0 * float(params.get("loc", 0.0))
    return freeze(days.dist, **params)

"""The scenario: everything a simulation run needs to know, as frozen, validated data.

Every field has a default, so ``Scenario()`` is a small working center and a
file only writes what differs. Variants are copies
(:func:`svcsim.scenario.with_changes`), never mutations. Nothing derived is
stored here: shift intervals, arrival rates and zone splits are computed by
the simulation from these fields. Reference: ``docs/reference/scenario.md``.
Who works and when (roles, shift groups, how field engineers get work) is
in :mod:`svcsim.scenario.staffing`, re-exported here.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator

from svcsim.calendar.hours import WEEKDAY_NAMES, parse_weekly_hours
from svcsim.errors import InputError
from svcsim.scenario.distribution import Dist, expon_minutes
from svcsim.scenario.frozen import Frozen as _Frozen
from svcsim.scenario.frozen import hours_ok as _hours_ok
from svcsim.scenario.installed_base import InstalledBaseField
from svcsim.scenario.plan_settings import PlanSettings
from svcsim.scenario.run_settings import RunSettings
from svcsim.scenario.staffing import (
    ASSIGNMENTS,
    TICKET_ORDERS,
    FieldEngineers,
    Group,
    Role,
    Shift,
    Staffing,
)

__all__ = [
    "ASSIGNMENTS", "TICKET_ORDERS", "CALL_KINDS", "ZONES_DEFAULT", "Closure", "Calendar", "Demand", "Shift", "Group", "Role", "FieldEngineers",
    "Staffing", "Times", "Probabilities", "Part", "FollowUps", "Spares", "SinglePart", "Scenario",
]

#: The kinds of call the demand mix splits calls into.
CALL_KINDS: tuple[str, ...] = ("question", "field", "carry_in", "mail_in", "complaint", "sale")
ZONES_DEFAULT: dict[str, float] = {"city": 0.6, "suburb": 0.3, "remote": 0.1}
_SERVICE_HOURS = ["08:30-12:00", "13:00-17:30"]


class Closure(_Frozen):
    """One site closure or extra working day, as a row of a closures file (``docs/reference/calendar.md``).

    ``kind`` ``"closed"``: no service that date, whatever the week or the
    public calendar says; ``"open"``: service with ``hours``
    (``"09:00-12:00;13:00-17:00"``), or the make-up hours when empty. A
    scenario file may instead name a closures CSV (``closures =
    "site.csv"``, relative to the scenario file); it is read at load time
    and kept here row by row, so the scenario stays whole.
    """

    date: dt.date
    kind: Literal["closed", "open"]
    hours: str = ""
    note: str = ""


class Calendar(_Frozen):
    """The center's service hours and public holidays (see :class:`svcsim.ServiceCalendar`).

    ``country`` names the public calendar whose holidays close the center and
    whose make-up days open it (``"none"``: no holidays); ``closures`` the
    site's own closed dates and extra working days, applied after it. Staff
    working "on service days" work on the days this calendar is open.
    """

    country: str = "CN"
    hours: dict[str, list[str]] = Field(
        default_factory=lambda: {d: list(_SERVICE_HOURS) for d in WEEKDAY_NAMES[:5]}
    )
    makeup_hours: str = "mon"
    closures: list[Closure] = Field(default_factory=list)

    @field_validator("hours")
    @classmethod
    def _weekly(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        try:
            parse_weekly_hours(value)
        except InputError as error:
            raise ValueError(f"{error.field}: {error.problem}; expected {error.expected}") from None
        return value


class Demand(_Frozen):
    """Calls: volume per day of week, hour-of-day profile, holidays, the mix of kinds, zones.

    The arrival rate in hour ``h`` of a day is ``calls_per_day[weekday] *
    hourly_profile[h] / sum(hourly_profile)`` per hour (times
    ``holiday_factor`` on a public holiday): a non-stationary Poisson process.
    """

    calls_per_day: dict[str, float] = Field(
        default_factory=lambda: {"mon": 40.0, "tue": 40.0, "wed": 40.0, "thu": 40.0, "fri": 40.0, "sat": 0.0, "sun": 0.0}
    )
    hourly_profile: list[float] = Field(
        default_factory=lambda: [0.0] * 8 + [1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0] + [0.0] * 7
    )
    holiday_factor: float = Field(0.0, ge=0.0)
    mix: dict[str, float] = Field(
        default_factory=lambda: {"question": 0.35, "field": 0.35, "carry_in": 0.1, "mail_in": 0.05, "complaint": 0.05, "sale": 0.1}
    )
    zones: dict[str, float] = Field(default_factory=lambda: dict(ZONES_DEFAULT))

    @field_validator("calls_per_day")
    @classmethod
    def _days(cls, value: dict[str, float]) -> dict[str, float]:
        for key, calls in value.items():
            if key not in WEEKDAY_NAMES:
                raise ValueError(f"unknown weekday {key!r}; expected one of {', '.join(WEEKDAY_NAMES)}")
            if not (calls >= 0 and math.isfinite(calls)):
                raise ValueError(f"{key}: {calls!r} calls; expected a number >= 0")
        return value

    @field_validator("hourly_profile")
    @classmethod
    def _profile(cls, value: list[float]) -> list[float]:
        if len(value) != 24 or any(not (w >= 0 and math.isfinite(w)) for w in value) or sum(value) <= 0:
            raise ValueError("expected 24 weights >= 0 (hours 0-23), not all zero")
        return value

    @field_validator("mix")
    @classmethod
    def _mix(cls, value: dict[str, float]) -> dict[str, float]:
        for key, share in value.items():
            if key not in CALL_KINDS:
                raise ValueError(f"unknown call kind {key!r}; expected one of {', '.join(CALL_KINDS)}")
            if not share >= 0:
                raise ValueError(f"{key}: share {share!r}; expected a number >= 0")
        if sum(value.values()) <= 0:
            raise ValueError("all shares are zero; expected at least one positive share")
        return value

    @field_validator("zones")
    @classmethod
    def _zones(cls, value: dict[str, float]) -> dict[str, float]:
        if not value or any(not s >= 0 for s in value.values()) or sum(value.values()) <= 0:
            raise ValueError("expected shares >= 0 per zone, e.g. {city = 0.6, suburb = 0.3, remote = 0.1}")
        return value


def _d(dist: str, **params: float) -> Dist:
    return Dist(dist=dist, **params)


class Times(_Frozen):
    """Every random duration, in minutes, as a named scipy.stats distribution."""

    handle: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=5.0))
    tech_support: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=12.0))
    dispatch: Dist = Field(default_factory=lambda: _d("lognorm", s=0.4, scale=4.0))
    travel: dict[str, Dist] = Field(default_factory=lambda: {
        "city": _d("lognorm", s=0.3, scale=14.0),
        "suburb": _d("lognorm", s=0.3, scale=40.0),
        "remote": _d("lognorm", s=0.3, scale=85.0),
    })
    diagnosis: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=20.0))
    repair: Dist = Field(default_factory=lambda: _d("lognorm", s=0.6, scale=60.0))
    software_fix: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=30.0))
    bench_test: Dist = Field(default_factory=lambda: _d("lognorm", s=0.4, scale=20.0))
    bench_repair: Dist = Field(default_factory=lambda: _d("lognorm", s=0.6, scale=45.0))
    callback: Dist = Field(default_factory=lambda: _d("lognorm", s=0.4, scale=3.0))
    complaint_meeting: Dist = Field(default_factory=lambda: _d("uniform", loc=30.0, scale=60.0))
    carry_in_delay: Dist = Field(default_factory=lambda: _d("uniform", loc=60.0, scale=1380.0))
    mail_transit: Dist = Field(default_factory=lambda: _d("uniform", loc=1440.0, scale=2880.0))
    repeat_delay: Dist = Field(default_factory=lambda: _d("expon", scale=4320.0))
    bad_part_return: Dist = Field(default_factory=lambda: _d("expon", scale=120.0))
    travel_between: dict[str, dict[str, Dist]] = Field(default_factory=dict)
    traffic: list[float] = Field(default_factory=lambda: [1.0] * 24)
    paperwork: Dist | None = None
    customer_delay: Dist = Field(default_factory=lambda: _d("lognorm", s=0.6, scale=30.0))
    appointment_days: Dist = Field(default_factory=lambda: _d("uniform", loc=0.0, scale=3.0))
    warranty_check: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=5.0))
    """The spares administrator's check of a unit's warranty (proof and date of purchase), or its quote."""
    packing: Dist = Field(default_factory=lambda: _d("lognorm", s=0.4, scale=6.0))
    """The spares administrator's packing of an item for the supplier or a unit back to its customer."""
    purchasing: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=30.0))
    """Purchasing's work on a DOA unit the supplier has not returned in 30 days (exchange or refund)."""
    first_use_days: Dist = Field(default_factory=lambda: _d("uniform", loc=0.0, scale=5.0))
    """Days from a sale to the first use of the product, when a DOA unit is found dead."""
    cancel_request: Dist = Field(default_factory=lambda: _d("expon", scale=1440.0))
    """Minutes from a paid repair's quote being accepted to the customer asking to cancel it."""
    batch_analysis: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=240.0))
    """Technical support's analysis of a batch flagged for too many fault reports (with an installed base)."""

    @field_validator("traffic")
    @classmethod
    def _traffic(cls, value: list[float]) -> list[float]:
        if len(value) != 24 or any(not (w > 0 and math.isfinite(w)) for w in value):
            raise ValueError("expected 24 factors > 0 (hours 0-23) scaling the drive times by hour of departure")
        return value

    def drive(self, origin: str, destination: str) -> Dist | None:
        """The drive from place ``origin`` to ``destination`` (``"center"`` or a zone), or ``None`` if not given.

        Without ``travel_between`` every drive to a site in zone ``z``, and
        back from it to the center, is ``travel[z]``. With it, a pair
        written one way serves both ways.
        """
        if not self.travel_between:
            zone = destination if destination != "center" else origin
            return self.travel.get(zone)
        row = self.travel_between.get(origin, {})
        if destination in row:
            return row[destination]
        return self.travel_between.get(destination, {}).get(origin)


class Probabilities(_Frozen):
    """Every branching probability of the ticket flow."""

    customer_not_ready: float = Field(0.0, ge=0, le=1, description="a field visit finds the customer not ready")
    appointment: float = Field(0.0, ge=0, le=1, description="a field ticket's customer asks for a later visit")
    solved_by_phone: float = Field(0.7, ge=0, le=1, description="a question settled by the operator")
    tech_solves: float = Field(0.6, ge=0, le=1, description="an escalated question settled by technical support; else a field ticket")
    software_fault: float = Field(0.4, ge=0, le=1)
    part_needed: float = Field(0.5, ge=0, le=1, description="a hardware repair needs a spare part")
    part_in_van: float = Field(1.0, ge=0, le=1, description="the part a field repair needs is in the engineer's van; "
                               "else the engineer fetches it from the center")
    fix_fails_software: float = Field(0.05, ge=0, le=1)
    fix_fails_hardware: float = Field(0.04, ge=0, le=1)
    in_warranty: float = Field(0.7, ge=0, le=1)
    quote_declined: float = Field(0.2, ge=0, le=1, description="an out-of-warranty customer declines the quote")
    major_complaint: float = Field(0.2, ge=0, le=1)
    urgent: float = Field(0.1, ge=0, le=1, description="a ticket gets priority 1 (else 2)")
    unit_to_supplier_software: float = Field(0.0, ge=0, le=1, description=(
        "a carried-in or mailed-in unit with a software fault the bench cannot repair in house: "
        "it goes to the supplier as a customer_unit item"))
    unit_to_supplier_hardware: float = Field(0.0, ge=0, le=1, description=(
        "the same for a hardware fault"))
    doa_unit: float = Field(0.0, ge=0, le=1, description=(
        "a product sold (a sale call) is dead at first use and comes back as a doa_unit item"))
    doa_exchanged: float = Field(0.7, ge=0, le=1, description=(
        "a DOA unit not back from the supplier in 30 days is exchanged by purchasing (else refunded)"))
    cancel_request: float = Field(0.0, ge=0, le=1, description=(
        "a customer who accepted a paid repair's quote later asks to cancel it"))
    dissatisfied: float = Field(0.02, ge=0, le=1, description=(
        "a customer says at the callback they are not satisfied, when nothing went wrong"))
    dissatisfied_per_missed_target: float = Field(0.15, ge=0, le=1, description=(
        "added to that chance for each target the ticket missed"))
    dissatisfied_repeat_fault: float = Field(0.25, ge=0, le=1, description=(
        "added to that chance when the ticket is a repeat fault (it follows a failed fix)"))


def _days(dist: str, **params: float) -> Dist:
    return Dist(dist=dist, **params)


class Part(_Frozen):
    """One spare part (SKU) of the catalogue: its share of demand, cost, stock and vendor loop.

    A hardware repair that needs a part draws its SKU by ``demand_share``
    (shares need not sum to 1; ``fault_share`` is accepted as another name).
    ``turnaround`` (supplier turnaround) and ``new_buy_lead_time`` are
    distributions in **days**.
    """

    sku: str = Field("generic", min_length=1)
    demand_share: float = Field(1.0, ge=0, validation_alias=AliasChoices("demand_share", "fault_share"))
    unit_cost: float = Field(100.0, ge=0)
    base_stock: int = Field(4, ge=0, le=1_000_000)
    turnaround: Dist = Field(default_factory=lambda: _days("lognorm", s=0.7, scale=12.0))
    scrap_share: float = Field(0.1, ge=0, le=1)
    new_buy_lead_time: Dist = Field(default_factory=lambda: _days("uniform", loc=20.0, scale=20.0))


class FollowUps(_Frozen):
    """When the spares administrator follows an item at the supplier up, and how long it takes.

    ``confirm_after``, ``inform_after`` and ``contact_after`` are days after
    ``sent_to_vendor`` when each follow-up becomes due for work (the targets
    are 3, 7 and 15 days); ``work`` is the administrator's time per
    follow-up, in minutes. A follow-up is done only while the item is still out.
    """

    confirm_after: float = Field(1.0, ge=0, le=365)
    inform_after: float = Field(4.0, ge=0, le=365)
    contact_after: float = Field(11.0, ge=0, le=365)
    work: Dist = Field(default_factory=lambda: _d("lognorm", s=0.5, scale=10.0))

    @model_validator(mode="after")
    def _in_order(self) -> FollowUps:
        if not self.confirm_after <= self.inform_after <= self.contact_after:
            raise ValueError(
                f"follow-ups due after {self.confirm_after}, {self.inform_after}, {self.contact_after} days; "
                "expected confirm_after <= inform_after <= contact_after")
        return self


class Spares(_Frozen):
    """The spares store, its parts catalogue and the vendor repair loop.

    ``store = "unlimited"`` issues every part at once (no stock levels);
    ``"base_stock"`` keeps ``base_stock`` units of each part, backorders jobs
    first come first served and restocks from the vendor loop. A share
    ``dead_spare_share`` of issued spares proves dead when fitted (the
    store's own stock; ``doa_share`` is accepted as its old name, and it is
    not the document's DOA, which is a new product dead at first use:
    ``probabilities.doa_unit``). Defective parts, customers' units the bench
    cannot repair and DOA units go to the spares administrators, who pack
    them; the courier collects once a day at ``vendor_pickup`` on service
    days, for the supplier and back to customers. A customer's or DOA unit
    stays at the supplier for ``unit_turnaround`` days. ``purchasing`` is the
    role that exchanges or refunds a DOA unit not back in 30 days.
    """

    store: Literal["unlimited", "base_stock"] = "unlimited"
    vendor_pickup: str = "16:00"
    parts: list[Part] = Field(default_factory=lambda: [Part()])
    dead_spare_share: float = Field(0.02, ge=0, le=0.99, validation_alias=AliasChoices("dead_spare_share", "doa_share"))
    administrators: Role = Field(default_factory=lambda: Role(count=1))
    purchasing: Role = Field(default_factory=lambda: Role(count=1))
    unit_turnaround: Dist = Field(default_factory=lambda: _days("lognorm", s=0.7, scale=12.0))
    follow_ups: FollowUps = Field(default_factory=FollowUps)

    @field_validator("vendor_pickup")
    @classmethod
    def _pickup(cls, value: str) -> str:
        _hours_ok([f"{value}-24:00"], "vendor_pickup")
        return value

    @field_validator("parts")
    @classmethod
    def _catalogue(cls, value: list[Part]) -> list[Part]:
        if not value:
            raise ValueError("an empty catalogue; expected at least one part, e.g. [[spares.parts]] sku = \"board\"")
        skus = [p.sku for p in value]
        twice = sorted({s for s in skus if skus.count(s) > 1})
        if twice:
            raise ValueError(f"sku {twice[0]!r} appears twice; expected one entry per sku")
        if sum(p.demand_share for p in value) <= 0:
            raise ValueError("every demand_share is zero; expected at least one positive share")
        return value


class SinglePart(_Frozen):
    """The validation case of Palm's theorem: one part, Poisson demand straight onto the store.

    ``demand_rate`` demands per day; each takes a unit from stock (or waits
    as a backorder, first come first served) and sends a unit into resupply
    at once, for a ``resupply`` time in days, unlimited resupply capacity.
    Build it with :func:`svcsim.scenarios.single_part`; simulate it with
    :func:`svcsim.simulate`.
    """

    name: str = "single_part"
    description: str = ""
    start: dt.date = dt.date(2025, 1, 1)
    timezone: str = "UTC"
    horizon_days: int = Field(365, ge=1, le=36_600)
    demand_rate: float = Field(1.0, gt=0)
    resupply: Dist = Field(default_factory=lambda: _days("expon", scale=10.0))
    stock: int = Field(10, ge=0, le=1_000_000)
    sku: str = "part"
    unit_cost: float = Field(100.0, ge=0)


class Scenario(_Frozen):
    """A service center to simulate: when, how long, demand, staff, times, chances.

    Time in the simulation is minutes since local midnight of ``start`` in
    ``timezone``; the log holds real timestamps. ``patience`` is how long a
    caller waits before hanging up (``"none"``: callers never hang up).
    """

    name: str = "unnamed"
    description: str = ""
    start: dt.date = dt.date(2025, 3, 3)
    timezone: str = "Asia/Shanghai"
    horizon_days: int = Field(28, ge=1, le=3660)
    calendar: Calendar = Field(default_factory=Calendar)
    demand: Demand = Field(default_factory=Demand)
    staffing: Staffing = Field(default_factory=Staffing)
    times: Times = Field(default_factory=Times)
    probabilities: Probabilities = Field(default_factory=Probabilities)
    patience: Dist | Literal["none"] | None = Field(default_factory=lambda: expon_minutes(3.0))
    spares: Spares = Field(default_factory=Spares)
    run: RunSettings = Field(default_factory=RunSettings)
    installed_base: InstalledBaseField = None  # products and batches, svcsim.scenario.installed_base
    plan: PlanSettings = Field(default_factory=PlanSettings)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}; expected an IANA name such as Asia/Shanghai") from None
        return value

    @field_validator("patience", mode="before")
    @classmethod
    def _no_patience(cls, value: object) -> object:
        return None if isinstance(value, str) and value.lower() in ("none", "infinite") else value

    @model_validator(mode="after")
    def _doa_needs_sales(self) -> Scenario:
        if self.probabilities.doa_unit > 0 and self.demand.mix.get("sale", 0.0) <= 0:
            raise ValueError(f"probabilities.doa_unit = {self.probabilities.doa_unit} but demand.mix has no sale; "
                             "expected a share of sale calls (DOA units are products sold that die at first use) "
                             "or doa_unit = 0")
        return self

    @model_validator(mode="after")
    def _group_zones(self) -> Scenario:
        for group in self.staffing.field_engineers.groups:
            if group.zone is not None and group.zone not in self.demand.zones:
                raise ValueError(f"staffing.field_engineers.groups: group {group.name!r} has zone {group.zone!r}; "
                                 f"expected one of demand.zones ({', '.join(self.demand.zones)})")
        return self

    @model_validator(mode="after")
    def _zones_have_travel(self) -> Scenario:
        zones = [z for z, share in self.demand.zones.items() if share > 0]
        if not self.times.travel_between:
            missing = [z for z in zones if z not in self.times.travel]
            if missing:
                raise ValueError(f"times.travel: no travel time for zone(s) {missing}; "
                                 "expected one per zone of demand.zones")
            return self
        places = ["center", *self.demand.zones]
        unknown = sorted({p for row in self.times.travel_between.items() for p in (row[0], *row[1])} - set(places))
        if unknown:
            raise ValueError(f"times.travel_between: unknown place(s) {unknown}; "
                             f"expected 'center' or a zone of demand.zones ({', '.join(self.demand.zones)})")
        for origin in ["center", *zones]:
            for destination in zones:
                if self.times.drive(origin, destination) is None:
                    raise ValueError(f"times.travel_between: no drive from {origin!r} to {destination!r}; "
                                     "expected every pair of 'center' and the zones with demand "
                                     "(a pair written one way serves both ways)")
        return self

"""A large, realistic synthetic event log of the service center, for benchmarks.

:func:`synthetic_log` draws tickets and vendor-loop items as whole columns of
numpy arrays (no per-ticket Python loop), so a million tickets take seconds.
It is not the simulation: nobody queues for anybody. It only has to look like
a year and a half of the center's data to the rule engine: the paths of
``svcsim/eventlog/vocabulary.py`` in their proper order, delays with a
realistic share of missed targets, right-censored cases at the end, repeat
visits to the same device, and events in no particular order.

The shape of one ticket (each step optional as noted)::

    [call_received -> call_answered ->] ticket_logged            (~72% by phone)
    field job (85%):  dispatched [-> customer_delay -> customer_ready]   (3%)
                      -> arrived_on_site
                      [-> part_requested [-> waiting_parts -> parts_received]
                          -> part_issued [-> dispatched -> arrived_on_site]]
                      -> completed [-> bad_part_returned]  (hardware with a part)
    bench job (15%):  unit_received [-> part_requested ... part_issued]
                      -> repaired -> unit_shipped
    then:             callback_made (97%) -> closed

About 2% of tickets stall before completion (still open at the end), about 5%
are repeats of an earlier job on the same device (``parent_id``), mostly within
72 hours / 7 days of its completion. About one item per ten tickets goes round
the vendor loop: ``item_received -> sent_to_vendor -> vendor_confirmed ->
user_informed -> user_contacted -> returned_from_vendor`` (or ``scrapped``),
with a heavy-tailed turnaround; follow-ups can be late or missing.

Every device belongs to one of twelve production batches of three product
models (:data:`BATCHES`, the ``model`` and ``batch`` case columns), drawn
from a generator of their own so the other columns are as they were.

Times are drawn in the center's zone (Asia/Shanghai, no daylight saving) and
stored in UTC; every event falls in ``[start, 2026-10-31)``, local time.
Calls come in 08:00-20:00 every day; staff (dispatchers, bench, store,
callbacks, the vendor desk) work Monday to Saturday 08:30-17:30, and their
delays are drawn in working time, a clock that stops outside those hours (the
default rules' service hours, less the lunch break; holidays are not modelled).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.eventlog.vocabulary import ACTIVITIES

__all__ = ["synthetic_log", "BATCHES", "END", "ZONE"]

END = "2026-10-31"
ZONE = "Asia/Shanghai"

SECOND = 1_000_000_000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
LOCAL_OFFSET = 8 * HOUR  # Asia/Shanghai: UTC+8 all year
OPEN_HOUR = 8  # calls come in 08:00-20:00 local, every day
WORK_OPEN, WORK_CLOSE = 8 * HOUR + 30 * MINUTE, 17 * HOUR + 30 * MINUTE  # staff: Mon-Sat, local
SUNDAY = 6  # weekday numbers: Monday 0
NEVER = np.iinfo(np.int64).max

ACTIVITY_NAMES: tuple[str, ...] = tuple(a.name for a in ACTIVITIES)
CODE = {name: np.int8(i) for i, name in enumerate(ACTIVITY_NAMES)}

ZONES = ("city", "suburb", "remote")
TRAVEL_MEDIAN_MINUTES = np.array([12.0, 26.0, 60.0])  # by zone
FAULTS = ("software", "hardware")
PRIORITIES = ("normal", "high", "urgent")
DISPATCH_SPEEDUP = np.array([1.0, 0.7, 0.4])  # by priority
CHANNELS = ("phone", "direct", "carry_in", "mail_in")
# Calls per hour of the local day, 08:00 to 19:59 (two peaks, lunch dip).
HOUR_PROFILE = np.array([4, 9, 10, 9, 6, 7, 9, 8, 7, 5, 3, 2], dtype=float)
WEEKDAY_PROFILE = np.array([1.0, 1.0, 0.95, 0.95, 0.9, 0.55, 0.4])  # Mon..Sun


# -- drawing helpers ----------------------------------------------------------
def _lognormal(rng: np.random.Generator, median_minutes, sigma: float, size: int) -> np.ndarray:
    """Delays in ns, lognormal with the given median (minutes), whole seconds, at least 1 s."""
    z = rng.standard_normal(size, dtype=np.float32)  # float32: twice as fast, ample precision
    seconds = np.exp(np.log(np.float32(60.0) * np.asarray(median_minutes, dtype=np.float32))
                     + np.float32(sigma) * z)
    return np.maximum(np.rint(seconds), 1.0).astype(np.int64) * SECOND


def _uniform(rng: np.random.Generator, lo_minutes: float, hi_minutes: float, size: int) -> np.ndarray:
    """Delays in ns, uniform between two bounds in minutes, whole seconds, at least 1 s."""
    seconds = rng.integers(int(lo_minutes * 60), int(hi_minutes * 60) + 1, size)
    return np.maximum(seconds, 1).astype(np.int64) * SECOND


def _working(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether each time is in staff working hours, and the next opening (UTC ns)."""
    local = t + LOCAL_OFFSET
    day = local // DAY
    time_of_day = local - day * DAY
    workday = (day + 3) % 7 != SUNDAY  # 1970-01-01 was a Thursday
    inside = workday & (time_of_day >= WORK_OPEN) & (time_of_day < WORK_CLOSE)
    next_day = np.where(workday & (time_of_day < WORK_OPEN), day, day + 1)
    next_day += (next_day + 3) % 7 == SUNDAY
    return inside, next_day * DAY + WORK_OPEN - LOCAL_OFFSET


def _in_hours(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Move times outside working hours to the next opening, plus a short jitter."""
    inside, opening = _working(t)
    return np.where(inside, t, opening + _uniform(rng, 1, 45, len(t)))


def _add_working(t: np.ndarray, work: np.ndarray) -> np.ndarray:
    """``t`` plus ``work`` ns of staff working time (a clock that stops outside working hours).

    Loops over the working days a delay spans (a handful), never over cases.
    """
    inside, opening = _working(t)
    out = np.where(inside, t, opening)
    left = work.copy()
    active = np.arange(len(t))
    while active.size:
        now = out[active]
        local = now + LOCAL_OFFSET
        step = np.minimum(left[active], WORK_CLOSE - local % DAY)
        out[active] = now + step
        left[active] -= step
        active = active[left[active] > 0]
        out[active] = _working(out[active])[1]
    return out


def _arrivals(rng: np.random.Generator, n: int, start_ns: int, days: int) -> np.ndarray:
    """First contact of ``n`` tickets (UTC ns): weekday and hour-of-day profile, in local hours."""
    first_weekday = pd.Timestamp(start_ns, tz="UTC").tz_convert(ZONE).weekday()
    day_weight = WEEKDAY_PROFILE[(first_weekday + np.arange(days)) % 7]
    day = rng.choice(days, size=n, p=day_weight / day_weight.sum())
    hour = OPEN_HOUR + rng.choice(len(HOUR_PROFILE), size=n, p=HOUR_PROFILE / HOUR_PROFILE.sum())
    second = rng.integers(0, 3600, n)
    return start_ns + day * DAY + hour * HOUR + second * SECOND


def _ids(prefix: str, n: int) -> np.ndarray:
    """``prefix`` + 7-digit serials from 1, as a string array (vectorised)."""
    digits = np.strings.zfill(np.arange(1, n + 1).astype(np.str_), 7)
    return np.strings.add(prefix, digits)


# -- tickets ------------------------------------------------------------------
def _tickets(rng: np.random.Generator, arrival: np.ndarray, zone: np.ndarray, fault: np.ndarray,
             priority: np.ndarray, bench: np.ndarray) -> tuple[dict, dict]:
    """Event times of a batch of tickets: ``slots`` (name -> (activity, times, present)) and facts.

    Every slot's time is computed for every ticket; ``present`` says which
    tickets have it. Each step adds at least a second to the previous one, so
    a ticket's events never share a timestamp.
    """
    n = len(arrival)
    field = ~bench
    hardware = fault == 1
    channel = np.where(bench, np.where(rng.random(n) < 0.6, 2, 3), np.where(rng.random(n) < 0.85, 0, 1))
    has_call = (channel == 0) | (channel == 3)
    answered = arrival + _lognormal(rng, 0.6, 1.0, n)
    logged = np.where(has_call, answered + _lognormal(rng, 6.0, 0.5, n), arrival)

    # Field: dispatch, an optional customer delay, travel by zone.
    dispatch_median = 60.0 * DISPATCH_SPEEDUP[priority]
    dispatched = _add_working(logged, _lognormal(rng, dispatch_median, 1.0, n))
    delayed = field & (rng.random(n) < 0.03)
    customer_delay = dispatched + _uniform(rng, 5, 60, n)
    customer_ready = customer_delay + _lognormal(rng, 240.0, 0.8, n)
    travel_median = TRAVEL_MEDIAN_MINUTES[zone]
    arrived = np.where(delayed, customer_ready, dispatched) + _lognormal(rng, travel_median, 0.45, n)
    # Bench: the unit is carried in at once or mailed in within days.
    unit_received = np.where(channel == 2, _in_hours(rng, logged + _uniform(rng, 1, 15, n)),
                             _in_hours(rng, logged + _lognormal(rng, 2 * 1440.0, 0.5, n)))
    on_job = np.where(bench, unit_received, arrived)

    # Parts: hardware only; some wait for stock, then (field) a second visit.
    part = hardware & (rng.random(n) < np.where(bench, 0.35, 0.22))
    waiting = part & (rng.random(n) < 0.42)
    part_requested = on_job + np.where(bench, _lognormal(rng, 180.0, 0.8, n), _uniform(rng, 10, 40, n))
    waiting_parts = part_requested + _uniform(rng, 5, 30, n)
    parts_received = _in_hours(rng, waiting_parts + _lognormal(rng, 1.5 * 1440, 0.7, n))
    part_issued = np.where(waiting, parts_received + _uniform(rng, 5, 30, n),
                           part_requested + _lognormal(rng, 40.0, 0.6, n))
    dispatched_again = _add_working(part_issued, _lognormal(rng, 90.0, 0.8, n))
    arrived_again = dispatched_again + _lognormal(rng, travel_median, 0.45, n)
    work_start = np.where(part, np.where(waiting & field, arrived_again, part_issued), on_job)

    completed = work_start + _lognormal(rng, 90.0, 0.9, n)  # on site, finished even after hours
    repaired = _add_working(work_start, _lognormal(rng, 300.0, 0.9, n))
    unit_shipped = _add_working(repaired, _lognormal(rng, 90.0, 0.8, n))
    done = np.where(bench, repaired, completed)
    bad_part = field & part
    bad_part_returned = completed + _lognormal(rng, 120.0, 1.0, n)
    after = np.where(bench, unit_shipped, np.where(bad_part, bad_part_returned, completed))
    called_back = rng.random(n) < 0.97
    callback_made = _add_working(after, _lognormal(rng, 120.0, 1.0, n))
    closed = np.where(called_back, callback_made + _uniform(rng, 1, 30, n),
                      after + _lognormal(rng, 1440.0, 0.6, n))

    # About 2% stall somewhere between logging and completion: right-censored.
    stalled = rng.random(n) < 0.02
    cut = logged + (rng.random(n) * (done - logged)).astype(np.int64)
    cutoff = np.where(stalled, cut, NEVER)

    everyone = np.ones(n, dtype=bool)
    slots = {
        "call_received": ("call_received", arrival, has_call),
        "call_answered": ("call_answered", answered, has_call),
        "ticket_logged": ("ticket_logged", logged, everyone),
        "dispatched": ("dispatched", dispatched, field),
        "customer_delay": ("customer_delay", customer_delay, delayed),
        "customer_ready": ("customer_ready", customer_ready, delayed),
        "arrived_on_site": ("arrived_on_site", arrived, field),
        "unit_received": ("unit_received", unit_received, bench),
        "part_requested": ("part_requested", part_requested, part),
        "waiting_parts": ("waiting_parts", waiting_parts, waiting),
        "parts_received": ("parts_received", parts_received, waiting),
        "part_issued": ("part_issued", part_issued, part),
        "dispatched_again": ("dispatched", dispatched_again, waiting & field),
        "arrived_again": ("arrived_on_site", arrived_again, waiting & field),
        "completed": ("completed", completed, field),
        "repaired": ("repaired", repaired, bench),
        "unit_shipped": ("unit_shipped", unit_shipped, bench),
        "bad_part_returned": ("bad_part_returned", bad_part_returned, bad_part),
        "callback_made": ("callback_made", callback_made, called_back),
        "closed": ("closed", closed, everyone),
    }
    for name, (activity, times, present) in slots.items():
        slots[name] = (activity, times, present & (times <= cutoff))
    facts = {"channel": channel, "done": done, "open": stalled, "bad_part": bad_part,
             "bad_part_returned": bad_part_returned, "warranty": rng.random(n) < 0.7}
    return slots, facts


# -- vendor-loop items --------------------------------------------------------
def _items(rng: np.random.Generator, received: np.ndarray) -> dict:
    """Event slots of vendor-loop items received at the given times (UTC ns)."""
    n = len(received)
    sent = _add_working(received, _lognormal(rng, 75.0, 1.1, n))
    confirmed = _in_hours(rng, sent + _lognormal(rng, 1.8 * 1440, 0.45, n))
    # Follow-ups come in order: confirmation, news to the user, second contact.
    informed = np.maximum(sent + _lognormal(rng, 5.0 * 1440, 0.3, n), confirmed + _uniform(rng, 1, 120, n))
    informed = _in_hours(rng, informed)
    contacted = np.maximum(sent + _lognormal(rng, 11.0 * 1440, 0.3, n), informed + _uniform(rng, 1, 120, n))
    contacted = _in_hours(rng, contacted)
    # Turnaround: lognormal body with a Pareto tail; some exceed 30 days by far.
    back_days = rng.lognormal(np.log(14.0), 0.6, n)
    tail = rng.random(n) < 0.06
    back_days = np.where(tail, 30.0 * (1.0 + rng.pareto(1.5, n)), back_days)
    back = _in_hours(rng, sent + np.rint(back_days * 86400).astype(np.int64) * SECOND)
    scrapped = rng.random(n) < 0.08
    everyone = np.ones(n, dtype=bool)
    # Follow-ups that would fall after the item came back are not made.
    return {
        "item_received": ("item_received", received, everyone),
        "sent_to_vendor": ("sent_to_vendor", sent, everyone),
        "vendor_confirmed": ("vendor_confirmed", confirmed, (rng.random(n) >= 0.03) & (confirmed < back)),
        "user_informed": ("user_informed", informed, (rng.random(n) >= 0.04) & (informed < back)),
        "user_contacted": ("user_contacted", contacted, (rng.random(n) >= 0.05) & (contacted < back)),
        "returned_from_vendor": ("returned_from_vendor", back, ~scrapped),
        "scrapped": ("scrapped", back, scrapped),
    }


# -- assembly -----------------------------------------------------------------
def _all_tickets(rng: np.random.Generator, tickets: int, start_ns: int, end_ns: int) -> tuple:
    """Originals, then ~5% repeats of completed field jobs on the same device, in draw order.

    Returns (slots, facts, attributes, parent) where ``attributes`` holds the
    per-ticket codes of zone, fault, priority and device, and ``parent`` the
    draw index of the job a repeat follows (-1 for none).
    """
    days = (end_ns - start_ns) // DAY
    n_repeat = int(round(0.05 * tickets)) if tickets >= 100 else 0
    n = tickets - n_repeat
    arrival = _arrivals(rng, n, start_ns, days)
    attrs = {
        "zone": rng.choice(3, size=n, p=[0.6, 0.28, 0.12]),
        "fault": (rng.random(n) < 0.55).astype(np.int8),
        "priority": rng.choice(3, size=n, p=[0.85, 0.12, 0.03]),
        "device": rng.integers(0, max(1000, int(0.6 * tickets)), n),
    }
    bench = rng.random(n) < 0.15
    slots, facts = _tickets(rng, arrival, attrs["zone"], attrs["fault"], attrs["priority"], bench)
    facts["arrival"] = arrival
    parent = np.full(n, -1, dtype=np.int64)
    if not n_repeat:
        return slots, facts, attrs, parent

    eligible = np.flatnonzero(~bench & ~facts["open"] & (facts["done"] < end_ns - 30 * DAY))
    of = rng.choice(eligible, size=n_repeat)
    gap = np.rint(rng.exponential(4.0 * 86400, n_repeat)).astype(np.int64) * SECOND
    r_arrival = _in_hours(rng, facts["done"][of] + gap + MINUTE)
    fault = attrs["fault"]
    r_attrs = {
        "zone": attrs["zone"][of],
        "fault": np.where(rng.random(n_repeat) < 0.85, fault[of], 1 - fault[of]).astype(np.int8),
        "priority": rng.choice(3, size=n_repeat, p=[0.6, 0.3, 0.1]),
        "device": attrs["device"][of],
    }
    r_slots, r_facts = _tickets(rng, r_arrival, r_attrs["zone"], r_attrs["fault"],
                                r_attrs["priority"], np.zeros(n_repeat, dtype=bool))
    r_facts["arrival"] = r_arrival
    slots = {k: (a, np.concatenate([t, r_slots[k][1]]), np.concatenate([p, r_slots[k][2]]))
             for k, (a, t, p) in slots.items()}
    facts = {k: np.concatenate([v, r_facts[k]]) for k, v in facts.items()}
    attrs = {k: np.concatenate([v, r_attrs[k]]) for k, v in attrs.items()}
    return slots, facts, attrs, np.concatenate([parent, of])


def _item_parents(rng: np.random.Generator, facts: dict, fault: np.ndarray, n_items: int) -> tuple:
    """Tickets that send a part round the vendor loop (draw indices) and when it arrives."""
    eligible = np.flatnonzero(~facts["open"] & (fault == 1))
    weight = np.where(facts["bad_part"][eligible], 1.0, 0.25)  # returned bad parts first
    n_items = min(n_items, len(eligible))
    parents = rng.choice(eligible, size=n_items, replace=False, p=weight / weight.sum())
    base = np.where(facts["bad_part"][parents], facts["bad_part_returned"][parents],
                    facts["done"][parents])
    received = _in_hours(rng, base + _lognormal(rng, 360.0, 1.0, n_items))
    order = np.argsort(received, kind="stable")
    return parents[order], received[order]


def _events(slots: dict, case_code: np.ndarray, end_ns: int) -> tuple[np.ndarray, ...]:
    """Long arrays (case code, activity code, time) of the present events before ``end_ns``."""
    cases, acts, times = [], [], []
    for activity, t, present in slots.values():
        idx = np.flatnonzero(present & (t < end_ns))
        cases.append(case_code[idx])
        acts.append(np.full(len(idx), CODE[activity], dtype=np.int8))
        times.append(t[idx])
    return np.concatenate(cases), np.concatenate(acts), np.concatenate(times)


def synthetic_log(tickets: int, seed: int = 0, start: str = "2025-03-03") -> EventLog:
    """A synthetic log of ``tickets`` tickets and about ``tickets / 10`` vendor-loop items.

    Same ``seed``, same log. About 8.6 events per ticket (items included).
    Case ids are ``T0000001``... in order of first contact, then ``I0000001``...
    in order of arrival for items; ``case_id`` and ``activity`` are
    categoricals, ``timestamp`` is ``datetime64[ns, UTC]``; events come day by
    day (local) as in an export, in no particular order within a day.
    """
    if tickets < 1:
        raise ValueError("tickets must be at least 1")
    rng = np.random.default_rng(seed)
    start_ns = pd.Timestamp(start, tz=ZONE).value
    end_ns = pd.Timestamp(END, tz=ZONE).value
    if end_ns - start_ns < 60 * DAY:
        raise ValueError(f"start {start!r} leaves less than 60 days before {END}")

    slots, facts, attrs, parent = _all_tickets(rng, tickets, start_ns, end_ns)
    item_parent, received = _item_parents(rng, facts, attrs["fault"], int(round(0.1 * tickets)))
    n_items = len(item_parent)
    item_slots = _items(rng, received)

    # Tickets are numbered in order of first contact: draw index -> rank.
    order = np.argsort(facts["arrival"], kind="stable")
    rank = np.empty(tickets, dtype=np.int32)
    rank[order] = np.arange(tickets, dtype=np.int32)
    t_case, t_act, t_time = _events(slots, rank, end_ns)
    i_case, i_act, i_time = _events(item_slots, np.arange(tickets, tickets + n_items, dtype=np.int32), end_ns)
    del slots, item_slots
    case_code = np.concatenate([t_case, i_case])
    act_code = np.concatenate([t_act, i_act])
    time_ns = np.concatenate([t_time, i_time])
    del t_case, t_act, t_time, i_case, i_act, i_time
    # Day by day, as an export would be, in no particular order within a day.
    day = ((time_ns - start_ns) // DAY).astype(np.int16)
    shuffle = np.argsort(day, kind="stable")  # a radix sort: linear time
    del day
    case_code, act_code, time_ns = case_code[shuffle], act_code[shuffle], time_ns[shuffle]
    del shuffle

    ids = pd.CategoricalDtype(pd.Index(np.concatenate([_ids("T", tickets), _ids("I", n_items)]),
                                       dtype=object))
    events = pd.DataFrame({
        "case_id": pd.Categorical.from_codes(case_code, dtype=ids),
        "activity": pd.Categorical.from_codes(act_code, categories=list(ACTIVITY_NAMES)),
        "timestamp": pd.DatetimeIndex(time_ns.view("M8[ns]")).tz_localize("UTC"),
    })
    cases = _cases(ids, order, rank, facts, attrs, parent, item_parent)
    cases = _with_batches(cases, seed)
    return EventLog.from_frames(events, cases, source="benchmarks.synthetic")


#: The installed base of the synthetic center: (model, batch) -> share of the devices.
BATCHES: dict[tuple[str, str], float] = {
    ("M100", "M100-2023A"): 0.14, ("M100", "M100-2023B"): 0.10, ("M100", "M100-2024A"): 0.08,
    ("M100", "M100-2024B"): 0.05, ("M200", "M200-2023A"): 0.12, ("M200", "M200-2024A"): 0.11,
    ("M200", "M200-2024B"): 0.09, ("M200", "M200-2025A"): 0.04, ("X9", "X9-2022A"): 0.10,
    ("X9", "X9-2023A"): 0.08, ("X9", "X9-2024A"): 0.06, ("X9", "X9-2025A"): 0.03,
}


def _with_batches(cases: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``model`` and ``batch`` per case: each device's batch drawn by :data:`BATCHES` share.

    A generator of its own (``[seed, 17]``), so every other column keeps the
    values it had before batches were added; a case takes its device's batch
    (an item its parent ticket's device's).
    """
    rng = np.random.default_rng([seed, 17])
    device = cases["device_id"].cat.codes.to_numpy()
    names = list(BATCHES)
    shares = np.array(list(BATCHES.values()))
    of_device = rng.choice(len(names), size=len(cases["device_id"].cat.categories), p=shares / shares.sum())
    code = np.where(device >= 0, of_device[np.maximum(device, 0)], -1).astype(np.int32)
    models = list(dict.fromkeys(m for m, _ in names))
    model_of = np.array([models.index(m) for m, _ in names] + [-1], dtype=np.int32)
    return cases.assign(
        model=pd.Categorical.from_codes(model_of[code], categories=pd.Index(models, dtype=object)),
        batch=pd.Categorical.from_codes(code, categories=pd.Index([b for _, b in names], dtype=object)))


def _cases(ids: pd.CategoricalDtype, order: np.ndarray, rank: np.ndarray, facts: dict,
           attrs: dict, parent: np.ndarray, item_parent: np.ndarray) -> pd.DataFrame:
    """One row per case: tickets in rank order, then items (which take their parent's attributes)."""
    n_items = len(item_parent)

    def column(ticket_codes: np.ndarray, categories, item_codes: np.ndarray | None = None):
        if item_codes is None:
            item_codes = np.full(n_items, -1, dtype=ticket_codes.dtype)
        codes = np.concatenate([ticket_codes[order], item_codes])
        if isinstance(categories, pd.CategoricalDtype):
            return pd.Categorical.from_codes(codes, dtype=categories)
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))

    tickets = len(order)
    case_type = np.zeros(tickets, dtype=np.int8)
    n_devices = int(attrs["device"].max()) + 1
    parent_rank = np.where(parent >= 0, rank[np.maximum(parent, 0)], -1)
    warranty = np.concatenate([facts["warranty"][order], facts["warranty"][item_parent]])
    return pd.DataFrame({
        "case_id": np.asarray(ids.categories, dtype=object),
        "case_type": column(case_type, ("ticket", "item"), np.ones(n_items, dtype=np.int8)),
        "channel": column(facts["channel"], CHANNELS),
        "zone": column(attrs["zone"], ZONES, attrs["zone"][item_parent]),
        "fault": column(attrs["fault"], FAULTS, attrs["fault"][item_parent]),
        "warranty": pd.array(warranty, dtype="boolean"),
        "device_id": column(attrs["device"], _ids("D", n_devices), attrs["device"][item_parent]),
        "priority": column(attrs["priority"], PRIORITIES),
        "parent_id": column(parent_rank, ids, rank[item_parent]),
    })

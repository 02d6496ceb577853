"""Hand-written logs for the metrics tests: stories of tickets and items, in the service center's local time."""

from __future__ import annotations

import pandas as pd

from svcsim.eventlog import EventLog

ZONE = "Asia/Shanghai"


def local(text: str, zone: str = ZONE) -> pd.Timestamp:
    return pd.Timestamp(text, tz=zone)


def story(events: list[tuple], cases: dict[str, dict] | None = None, zone: str = ZONE) -> EventLog:
    """An EventLog from (case_id, activity, local time[, part[, reason]]) tuples and case attributes."""
    rows = [
        {"case_id": e[0], "activity": e[1], "timestamp": local(e[2], zone),
         "part": e[3] if len(e) > 3 else None, "reason": e[4] if len(e) > 4 else None}
        for e in events
    ]
    frame = pd.DataFrame(rows)
    frame["part"] = frame["part"].astype("category")
    if frame["reason"].isna().all():
        frame = frame.drop(columns="reason")
    table = pd.DataFrame([{"case_id": k, **v} for k, v in (cases or {}).items()]) if cases else None
    return EventLog.from_frames(frame, table)


def _visit(case: str, day: str, *, logged: str = "09:00", done: str = "11:00", parts: tuple = ()) -> list[tuple]:
    out = [(case, "ticket_logged", f"{day} {logged}"), (case, "dispatched", f"{day} 09:30"),
           (case, "arrived_on_site", f"{day} 09:50")]
    out += [(case, act, f"{day} {at}", part, *rest) for act, at, part, *rest in parts]
    return out + [(case, "completed", f"{day} {done}")]


def center_story() -> EventLog:
    """Two and a half months of a small center (as of 2026-03-20 12:00 local); the known answers are in test_golden.

    - T1 (hardware, D1) gets part A at once on 5 Jan; the bad part becomes item I1 (defective), at the
      vendor 6 Jan -> 20 Jan.
    - T2 (software, D2) completed 31 Jan 23:30; the same fault is logged again 2 Feb (T3): T2's fix failed.
      T3's fix (2 Feb 15:00) held.
    - T4 (hardware, no part, D3) completed 10 Feb: held. T7 (hardware, no part, D7) completed 18 Mar: pending.
    - T5 (hardware, D5) waits for part B from 15 Feb to 18 Feb.
    - T6 (hardware, D6) gets part A on 2 Mar; it is dead on arrival, a second A is issued; the dead one is
      item I2 (dead_spare), sent 3 Mar 10:00, confirmed 4 Mar, still at the vendor.
    - T8 is a bench unit received 20 Feb.
    - Surveys: T1 said yes (January), T4 said no (February).
    """
    events = [
        *_visit("T1", "2026-01-05", parts=(("part_requested", "10:00", "A"), ("part_issued", "10:00", "A"))),
        ("T1", "bad_part_returned", "2026-01-05 12:00", "A"),
        ("I1", "item_received", "2026-01-05 13:00"), ("I1", "sent_to_vendor", "2026-01-06 10:00"),
        ("I1", "vendor_confirmed", "2026-01-07 10:00"), ("I1", "user_informed", "2026-01-10 10:00"),
        ("I1", "returned_from_vendor", "2026-01-20 10:00"),
        ("T2", "ticket_logged", "2026-01-31 20:00"), ("T2", "dispatched", "2026-01-31 20:30"),
        ("T2", "arrived_on_site", "2026-01-31 21:00"), ("T2", "completed", "2026-01-31 23:30"),
        *_visit("T3", "2026-02-02", logged="09:00", done="15:00"),
        *_visit("T4", "2026-02-10"),
        ("T5", "ticket_logged", "2026-02-15 09:00"), ("T5", "dispatched", "2026-02-15 09:30"),
        ("T5", "arrived_on_site", "2026-02-15 09:50"), ("T5", "part_requested", "2026-02-15 10:00", "B"),
        ("T5", "waiting_parts", "2026-02-15 10:00", "B"), ("T5", "parts_received", "2026-02-18 09:00", "B"),
        ("T5", "dispatched", "2026-02-18 09:30"), ("T5", "arrived_on_site", "2026-02-18 10:30"),
        ("T5", "part_issued", "2026-02-18 11:00", "B"), ("T5", "completed", "2026-02-18 12:00"),
        ("T8", "unit_received", "2026-02-20 10:00"),
        *_visit("T6", "2026-03-02", parts=(("part_requested", "10:00", "A"), ("part_issued", "10:00", "A"),
                                           ("part_requested", "10:30", "A", "spare dead when fitted"),
                                           ("part_issued", "10:30", "A"))),
        ("I2", "item_received", "2026-03-02 14:00"), ("I2", "sent_to_vendor", "2026-03-03 10:00"),
        ("I2", "vendor_confirmed", "2026-03-04 10:00"),
        *_visit("T7", "2026-03-18"),
        ("T9", "call_received", "2026-03-20 12:00"),  # the last event: as_of by default
    ]
    ticket = {"case_type": "ticket", "kind": "field"}
    cases = {
        "T1": {**ticket, "fault": "hardware", "device_id": "D1", "satisfied": "yes"},
        "T2": {**ticket, "fault": "software", "device_id": "D2"},
        "T3": {**ticket, "fault": "software", "device_id": "D2", "parent_id": "T2"},
        "T4": {**ticket, "fault": "hardware", "device_id": "D3", "satisfied": "no"},
        "T5": {**ticket, "fault": "hardware", "device_id": "D5"},
        "T6": {**ticket, "fault": "hardware", "device_id": "D6"},
        "T7": {**ticket, "fault": "hardware", "device_id": "D7"},
        "T8": {**ticket, "channel": "carry_in", "kind": "carry_in"},
        "T9": {**ticket},
        "I1": {"case_type": "item", "parent_id": "T1", "part": "A", "item_kind": "defective"},
        "I2": {"case_type": "item", "parent_id": "T6", "part": "A", "item_kind": "dead_spare"},
    }
    return story(events, cases)


def sales_story() -> EventLog:
    """Sales and the DOA units that came back from them (as of 2026-04-10).

    - February: three sales S1-S3; S1's product is dead at first use and comes back in March (I1, doa_unit).
    - March: two sales S4, S5; S5's comes back in March too (I2). April: one sale S6, none back yet.
    - A defective part (I3) in March is not a DOA unit.
    """
    events = [
        ("S1", "call_received", "2026-02-03 10:00"), ("S2", "call_received", "2026-02-10 10:00"),
        ("S3", "call_received", "2026-02-27 16:00"), ("S4", "call_received", "2026-03-05 10:00"),
        ("S5", "call_received", "2026-03-20 10:00"), ("S6", "call_received", "2026-04-01 10:00"),
        ("I1", "item_received", "2026-03-02 09:00"), ("I2", "item_received", "2026-03-24 09:00"),
        ("I3", "item_received", "2026-03-25 09:00"), ("T1", "ticket_logged", "2026-03-25 08:00"),
        ("S7", "call_received", "2026-04-10 12:00"),
    ]
    sale = {"case_type": "ticket", "kind": "sale"}
    cases = {**{f"S{i}": dict(sale) for i in range(1, 8)},
             "T1": {"case_type": "ticket", "kind": "field"},
             "I1": {"case_type": "item", "parent_id": "S1", "item_kind": "doa_unit"},
             "I2": {"case_type": "item", "parent_id": "S5", "item_kind": "doa_unit"},
             "I3": {"case_type": "item", "parent_id": "T1", "part": "A", "item_kind": "defective"}}
    return story(events, cases)

"""Invariants of the metrics on random little logs (hypothesis): order does not matter, counts add up, rates are rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcsim.eventlog import EventLog
from svcsim.metrics import monthly_kpis, stock_results
from svcsim.rules import load_rules

RULES = load_rules()
T0 = pd.Timestamp("2026-01-01 00:00", tz="Asia/Shanghai")
minutes = st.integers(min_value=0, max_value=120 * 1440)

item = st.tuples(minutes, st.sampled_from(["defective", "dead_spare"]), st.sampled_from(["A", "B"]),
                 st.integers(0, 40 * 1440), st.sampled_from(["returned_from_vendor", "scrapped", None]))
job = st.tuples(minutes, st.sampled_from(["A", "B", "C"]), st.booleans(), st.sampled_from(["software", "hardware"]),
                st.integers(0, 3), st.integers(0, 10 * 1440))


def build(items, jobs) -> EventLog:
    """Items through the vendor loop and field jobs that need a part (waiting or not), then may repeat."""
    rows, cases = [], []

    def add(case, activity, minute, part=None):
        rows.append((case, activity, T0 + pd.Timedelta(minutes=minute), part))

    for i, (at, kind, part, turnaround, end) in enumerate(items):
        case = f"I{i}"
        cases.append({"case_id": case, "case_type": "item", "item_kind": kind, "part": part})
        add(case, "item_received", at)
        add(case, "sent_to_vendor", at + 60)
        if end is not None:
            add(case, end, at + 60 + turnaround)
    for j, (at, part, waits, fault, device, gap) in enumerate(jobs):
        case = f"T{j}"
        cases.append({"case_id": case, "case_type": "ticket", "fault": fault, "device_id": f"D{device}"})
        add(case, "ticket_logged", at)
        add(case, "dispatched", at + 10)
        add(case, "part_requested", at + 30, part)
        if waits:
            add(case, "waiting_parts", at + 30, part)
            add(case, "parts_received", at + 30 + gap, part)
            add(case, "part_issued", at + 40 + gap, part)
            add(case, "completed", at + 60 + gap)
        else:
            add(case, "part_issued", at + 30, part)
            add(case, "completed", at + 60)
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "timestamp", "part"])
    frame["seq"] = np.arange(len(frame))
    frame["part"] = frame["part"].astype("category")
    return EventLog.from_frames(frame, pd.DataFrame(cases))


def shuffled(log: EventLog, seed: int) -> EventLog:
    rng = np.random.default_rng(seed)
    events = log.events.iloc[rng.permutation(len(log.events))].reset_index(drop=True)
    cases = log.cases.iloc[rng.permutation(len(log.cases))].reset_index(drop=True)
    return EventLog.from_frames(events, cases)


AS_OF = "2026-04-15T12:00:00+08:00"
logs = st.tuples(st.lists(item, min_size=1, max_size=6), st.lists(job, min_size=1, max_size=6), st.integers(0, 2**32 - 1))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs)
def test_kpis_do_not_depend_on_row_order(args):
    items, jobs, seed = args
    log = build(items, jobs)
    a = monthly_kpis(log, as_of=AS_OF, rules=RULES, slow_days=30)
    b = monthly_kpis(shuffled(log, seed), as_of=AS_OF, rules=RULES, slow_days=30)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(stock_results(log, as_of=AS_OF, rules=RULES), stock_results(shuffled(log, seed), as_of=AS_OF, rules=RULES))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs)
def test_counts_add_up_and_rates_are_rates(args):
    items, jobs, _ = args
    log = build(items, jobs)
    kpis = monthly_kpis(log, as_of=AS_OF, rules=RULES)
    as_of = pd.Timestamp(AS_OF)
    received = sum(T0 + pd.Timedelta(minutes=it[0]) <= as_of for it in items)
    total = kpis.loc[kpis["kpi"] == "returns", "value"]
    assert total.sum() == received
    split = kpis[kpis["kpi"].isin(["returns_defective", "returns_dead_spare"])].groupby("month")["value"].sum()
    assert (split.to_numpy() == total.to_numpy()).all()
    issued = (log.events["activity"] == "part_issued") & (log.events["timestamp"] <= as_of)
    assert kpis.loc[kpis["kpi"] == "part_usage", "value"].sum() == issued.sum()
    shares = kpis.loc[kpis["kpi"] == "repair_success_rate", "value"].dropna()
    assert shares.between(0, 1).all()
    assert kpis["p_value"].dropna().between(0, 1).all()
    stock = stock_results(log, as_of=AS_OF, rules=RULES)
    assert stock["fill_rate"].dropna().between(0, 1).all() and stock["jobs_waited_share"].dropna().between(0, 1).all()
    per_part = stock[stock["part"] != "ALL"]
    assert (per_part["issued_at_once"] + per_part["waited"] + per_part["open_requests"] == per_part["requests"]).all()
    waited = sum(1 for j in jobs if j[2] and T0 + pd.Timedelta(minutes=j[0] + 30) <= as_of)
    assert stock.loc[stock["part"] == "ALL", "jobs_waited"].item() == waited

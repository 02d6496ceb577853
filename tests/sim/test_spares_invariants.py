"""Invariants of the spares store and the vendor loop on small random centers (hypothesis).

- conservation: per part, on hand + issued + in transit + at the administrator +
  at the supplier + scrapped awaiting a new buy == base stock, after every change;
- stock is never negative, and never sits on the shelf while a job waits for it;
- backorders are served first come first served: per part, ``parts_received``
  follows the order of ``waiting_parts``;
- nothing is lost: every item is received once, sent at most once, and ends
  scrapped or returned at most once (after it was sent), or is still in the
  loop at the horizon, where the store counts exactly as many units at the
  administrator's and at the supplier as the log leaves open; every job that
  waited got its part or is still on the part's backorder list at the horizon.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svcsim.scenario import load_scenario, with_changes
from svcsim.simulation import simulate

TINY = load_scenario("tiny")
LEVELS = ["on_hand", "issued", "in_transit", "at_admin", "at_vendor", "scrapped"]


@st.composite
def centers(draw):
    n_parts = draw(st.integers(1, 3))
    parts = [{
        "sku": f"P{i}",
        "demand_share": draw(st.floats(0.1, 1.0)),
        "base_stock": draw(st.integers(0, 4)),
        "turnaround": {"dist": "lognorm", "s": draw(st.floats(0.2, 1.2)), "scale": draw(st.floats(0.5, 4.0))},
        "scrap_share": draw(st.floats(0.0, 0.6)),
        "new_buy_lead_time": {"dist": "uniform", "loc": 1.0, "scale": draw(st.floats(0.5, 5.0))},
    } for i in range(n_parts)]
    changes = {
        "spares.store": "base_stock",
        "spares.parts": parts,
        "spares.dead_spare_share": draw(st.sampled_from([0.0, 0.05, 0.3])),
        "spares.administrators": draw(st.integers(0, 2)),
        "staffing.field_engineers.count": draw(st.integers(1, 4)),
        "staffing.field_engineers.shared": draw(st.booleans()),
        "staffing.bench_engineers": draw(st.integers(1, 2)),
        "probabilities.part_needed": draw(st.floats(0.3, 1.0)),
        "probabilities.software_fault": draw(st.floats(0.0, 0.5)),
        "demand.calls_per_day": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), draw(st.floats(10, 60))),
    }
    return with_changes(TINY, changes), draw(st.integers(0, 2**16)), draw(st.integers(3, 14))


def _open_items(run) -> pd.DataFrame:
    ev = run.events.assign(case_id=run.events["case_id"].astype(str), activity=run.events["activity"].astype(str))
    items = run.cases[run.cases["case_type"] == "item"].set_index("case_id")
    counts = ev[ev["case_id"].isin(items.index)].groupby(["case_id", "activity"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=items.index, fill_value=0)
    for column in ("item_received", "sent_to_vendor", "returned_from_vendor", "scrapped"):
        if column not in counts:
            counts[column] = 0
    counts["part"] = items["part"].astype(str)
    return counts


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(centers())
def test_stock_is_conserved_and_nothing_is_lost(case):
    scenario, seed, days = case
    run = simulate(scenario, seed=seed, days=days, stock_trace=True)
    trace = run.stock_trace
    held = trace[LEVELS].sum(axis=1) - trace["owed"]
    assert (held == trace["base_stock"]).all(), "a unit appeared or vanished"
    assert (trace[LEVELS] >= 0).all().all() and (trace["owed"] == 0).all()
    assert ((trace["backorders"] == 0) | (trace["on_hand"] == 0)).all(), "stock on the shelf while a job waits"

    ev = run.events.assign(case_id=run.events["case_id"].astype(str), activity=run.events["activity"].astype(str))
    for sku in trace["sku"].cat.categories:
        mine = ev[ev["part"].astype(object) == sku]
        waited = mine.loc[mine["activity"] == "waiting_parts", "case_id"].tolist()
        served = mine.loc[mine["activity"] == "parts_received", "case_id"].tolist()
        # FIFO: the k-th parts_received goes to the k-th waiting_parts (a job may wait twice after a DOA)
        assert served == waited[:len(served)], f"{sku}: backorders not first come first served"
        end = trace[trace["sku"] == sku].iloc[-1]
        assert end["backorders"] == len(waited) - len(served)

    items = _open_items(run)
    assert (items["item_received"] == 1).all()
    assert (items["sent_to_vendor"] <= 1).all()
    ended = items["returned_from_vendor"] + items["scrapped"]
    assert (ended <= items["sent_to_vendor"]).all(), "an item came back before it left, or twice"
    for sku in trace["sku"].cat.categories:
        mine = items[items["part"] == sku]
        end = trace[trace["sku"] == sku].iloc[-1]
        assert end["at_admin"] == int((mine["sent_to_vendor"] == 0).sum())
        assert end["at_vendor"] == int(((mine["sent_to_vendor"] == 1) & (ended[mine.index] == 0)).sum())
    stock = run.stock.set_index("sku")
    assert (stock["on_hand_end"].to_numpy(dtype=float) >= 0).all()
    assert np.array_equal(stock["scrapped"].to_numpy(), [int(items.loc[items["part"] == s, "scrapped"].sum())
                                                        for s in stock.index])
    # items remember where they came from
    parents = run.cases.set_index("case_id").loc[items.index, "parent_id"]
    assert parents.notna().all() and parents.str.startswith("T").all()

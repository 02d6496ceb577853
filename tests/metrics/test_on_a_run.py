"""On a simulated run, the metrics read from the log agree with the store's own tally (Run.stock)."""

from __future__ import annotations

import pytest

import svcsim
from svcsim.metrics import monthly_kpis, stock_results
from svcsim.scenario import load_scenario, with_changes


@pytest.fixture(scope="module")
def run():
    """The tiny center for 30 days with a finite store (4 spares): most jobs wait for their part."""
    return svcsim.simulate(with_changes(load_scenario("tiny"), {"spares.store": "base_stock"}), seed=2, days=30)


def test_stock_results_agree_with_the_store(run):
    stock = stock_results(run.log, as_of=run.end).set_index("part")
    store = run.stock.set_index("sku")
    for sku in store.index:
        assert stock.loc[sku, "requests"] == store.loc[sku, "demands"]
        assert stock.loc[sku, "issued_at_once"] == store.loc[sku, "issued_from_stock_at_once"]
        assert stock.loc[sku, "waited"] == store.loc[sku, "backordered"]
        assert stock.loc[sku, "fill_rate"] == pytest.approx(store.loc[sku, "fill_rate"])
        assert stock.loc[sku, "at_vendor"] == store.loc[sku, "at_vendor_end"]
    assert stock.loc["ALL", "jobs_waited"] > 0


def test_monthly_returns_add_up_to_the_items_received(run):
    kpis = monthly_kpis(run.log, as_of=run.end, zone=run.scenario.timezone)
    items = run.log.cases["case_type"] == "item"
    received = run.log.events.loc[run.log.events["activity"] == "item_received", "case_id"].astype(str).nunique()
    assert kpis.loc[kpis["kpi"] == "returns", "value"].sum() == received == items.sum()
    assert list(kpis.attrs["skipped"]) == ["batch_flags"]  # baseline has no installed base

"""A KPI the log lacks the columns or activities for is skipped with its reason: never a crash, never a made-up number."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from metriclogs import center_story, story

import svcsim
from svcsim.live import load_mapping
from svcsim.metrics import KPIS, kpi_availability, monthly_kpis, spares_budget, stock_results

ROOT = Path(__file__).resolve().parents[2]
UCI = ROOT / "tests" / "fixtures" / "uci" / "incident_event_log_excerpt.csv"
UCI_MAPPING = ROOT / "examples" / "uci-incident-log" / "mapping.toml"
UCI_RULES = ROOT / "examples" / "uci-incident-log" / "rules.toml"


@pytest.fixture(scope="module")
def uci_log():
    log, _report = svcsim.load_events(UCI, load_mapping(UCI_MAPPING), as_of="2017-03-01T00:00:00+00:00")
    return log


def test_the_uci_incident_log_has_no_parts_and_no_items(uci_log):
    """The UCI export records incidents only: every parts KPI is skipped, each with the reason."""
    kpis = monthly_kpis(uci_log, zone="UTC")
    skipped = kpis.attrs["skipped"]
    assert "no part column in the events table" in skipped["part_usage"]
    assert "no part_issued event" in skipped["slow_moving_stock"]
    assert "no item_received event" in skipped["returns"]
    assert "no item_received, part_issued events recorded" in skipped["dead_spare_rate"]
    assert "unit_received" in skipped["bench_units_received"]
    # the repair success rate needs completed fixes on a device and fault: the export has none of these
    assert "completed" in skipped["repair_success_rate"] and "device_id" in skipped["repair_success_rate"]
    assert set(skipped) == set(KPIS) and kpis.empty


def test_the_uci_rules_have_no_fix_rules(uci_log):
    kpis = monthly_kpis(uci_log, rules=UCI_RULES, zone="UTC")
    assert "no recurrence rule after completed" in kpis.attrs["skipped"]["repair_success_rate"]


def test_stock_results_on_the_uci_log_say_why_they_are_empty(uci_log):
    stock = stock_results(uci_log)
    assert "part_requested" in stock.attrs["skipped"]["fill_rate"]
    assert "sent_to_vendor" in stock.attrs["skipped"]["vendor_milestones"]
    assert stock.empty


def test_kpi_availability_lists_every_kpi():
    table = kpi_availability(center_story())
    assert table["kpi"].tolist() == list(KPIS)
    assert table.set_index("kpi")["available"].drop("batch_flags").all()  # the story has no batches
    assert "no batch attribute" in table.set_index("kpi").loc["batch_flags", "reason"]


def test_a_log_without_item_kind_keeps_the_total_and_skips_the_split():
    log = story([("I1", "item_received", "2026-01-10 10:00"), ("T1", "part_issued", "2026-01-10 11:00", "A")],
                {"I1": {"case_type": "item"}, "T1": {"case_type": "ticket"}})
    kpis = monthly_kpis(log)
    assert kpis.loc[kpis["kpi"] == "returns", "value"].tolist() == [1]
    assert kpis.attrs["skipped"]["returns_dead_spare"] == "no item_kind column in the cases table"
    assert kpis.attrs["skipped"]["dead_spare_rate"] == "no item_kind column in the cases table"
    assert "part_usage" not in kpis.attrs["skipped"]


def test_item_kind_and_part_kept_on_the_rows_of_a_flat_log_are_used():
    """A flat table keeps only the standard case attributes in the cases table; part and item_kind stay on rows."""
    log = center_story()
    items = log.cases.set_index("case_id")
    frame = log.events.assign(case_id=log.events["case_id"].astype(str), part=log.events["part"].astype(object))
    frame["item_kind"] = items["item_kind"].reindex(frame["case_id"]).to_numpy()
    frame["part"] = frame["part"].fillna(pd.Series(items["part"].reindex(frame["case_id"]).to_numpy(), index=frame.index))
    for column in ("case_type", "fault", "device_id", "kind"):
        frame[column] = items[column].reindex(frame["case_id"]).to_numpy()
    flat = svcsim.EventLog.from_flat(frame)
    assert "item_kind" not in flat.cases.columns
    kpis = monthly_kpis(flat)
    assert list(kpis.attrs["skipped"]) == ["batch_flags"]  # no batches in this log
    doa = kpis[(kpis["kpi"] == "dead_spare_rate") & kpis["part"].isna()]
    assert doa["value"].tolist()[-1] == 0.5


def test_the_budget_without_vendor_events_leaves_resupply_unknown():
    log = story([("T1", "part_issued", "2026-01-10 11:00", "A"), ("T2", "part_issued", "2026-02-10 11:00", "A")])
    budget = spares_budget(log, pd.DataFrame({"sku": ["A"], "unit_cost": [3.0]})).set_index("sku")
    assert budget.loc["A", "resupply_basis"] == "unknown"
    assert budget.loc["A", "target_stock"] != budget.loc["A", "target_stock"]  # NaN
    assert "left out of the total" in budget.loc["TOTAL", "note"]

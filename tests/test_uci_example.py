"""The UCI worked example of issue 19 (examples/uci-incident-log/): the mapping onto svcsim's own
vocabulary, the service-desk template scenario, and the conversion to Simod's input with its split."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.cli import main
from svcsim.eventlog.vocabulary import ACTIVITY_NAMES
from svcsim.live import load_events
from svcsim.live.mapping import load_mapping
from svcsim.rules import check
from svcsim.scenario import load_scenario
from svcsim.simulation import simulate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "uci-incident-log"
EXCERPT = ROOT / "tests" / "fixtures" / "uci" / "incident_event_log_excerpt.csv"
MAPPING = EXAMPLE / "mapping-fit.toml"
RULES = EXAMPLE / "rules-fit.toml"
TEMPLATE = EXAMPLE / "service_desk.toml"
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "data" / "uci-incident-log").is_dir()), None)
READABLE = SHARED / "data" / "uci-incident-log" / "incident_event_log_readable.zip" if SHARED else None
needs_shared = pytest.mark.skipif(READABLE is None or not READABLE.exists(),
                                  reason="shared/data/uci-incident-log is not beside this clone nor in /work/shared")

spec = importlib.util.spec_from_file_location("to_simod", EXAMPLE / "to_simod.py")
to_simod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(to_simod)


def test_the_mapping_reads_the_excerpt_into_the_vocabulary_with_every_row_accounted_for():
    log, report = load_events(EXCERPT, MAPPING)
    raw = pd.read_csv(EXCERPT, dtype=str, keep_default_na=False)
    assert report.rows_read == len(raw) == report.rows_kept + report.rows_quarantined
    # the two "-100" rows are the only rows lost, and their incident is invalid
    assert report.rows_quarantined == (raw["incident_state"] == "-100").sum() == 2
    assert set(report.quarantined["code"]) == {"UNKNOWN_ACTIVITY"}
    invalid = log.cases.set_index("case_id")["invalid_reason"].dropna()
    assert list(invalid.index) == ["INC0028089"]
    events = log.events
    mapping = load_mapping(MAPPING)
    read = events[events["source_row"].notna() & events["activity"].isin(mapping.activities.map.values())]
    # every kept row is one event, under the activity its state maps to
    kept = raw[raw["incident_state"] != "-100"]
    assert len(read) == len(kept)
    expected = kept["incident_state"].map(mapping.activities.map).value_counts().sort_index()
    assert read["activity"].value_counts().reindex(expected.index).tolist() == expected.tolist()
    counts = events["activity"].value_counts()
    assert counts["ticket_logged"] == raw["number"].nunique()          # one per incident, from opened_at
    assert counts["dispatched"] == (raw["incident_state"] == "Active").sum()
    assert counts["completed"] == (raw["incident_state"] == "Resolved").sum()
    assert counts["closed"] == (raw["incident_state"] == "Closed").sum()
    assert counts["customer_delay"] == counts["customer_ready"] > 0    # every wait for the user ends in the excerpt
    assert {"ticket_logged", "dispatched", "customer_delay", "customer_ready", "completed", "closed"} <= ACTIVITY_NAMES
    # the resource is assigned_to: the row's engineer, never the account that saved it
    dispatched = events[events["activity"] == "dispatched"].sort_values("source_row")
    active = raw[raw["incident_state"] == "Active"]["assigned_to"].replace("?", np.nan)
    assert dispatched["resource"].fillna("").tolist() == active.fillna("").tolist()
    cases = log.cases.set_index("case_id")
    assert (cases["zone"] == "desk").all() and (cases["kind"] == "field").all()


def test_the_rules_in_the_vocabulary_judge_the_mapped_excerpt():
    log, _ = load_events(EXCERPT, MAPPING)
    summary = check(log, RULES, as_of="2017-03-01T00:00:00+00:00").summary.set_index("rule_id")
    assert list(summary.index) == ["resolve-96h", "taken-up-8h", "close-after-resolve"]
    assert (summary["cases"] == 64).all() and (summary["invalid"] == 1).all()
    assert summary.loc["resolve-96h", "met"] > 0


@needs_shared
def test_the_mapping_accounts_for_every_row_of_the_readable_zip(tmp_path):
    code = main(["check", str(READABLE), "--mapping", str(MAPPING), "--rules", str(RULES),
                 "--as-of", "2017-03-01T00:00:00+00:00", "--out", str(tmp_path)])
    assert code == 0
    summary = json.loads((tmp_path / "validation.json").read_text())
    assert (summary["rows_read"], summary["rows_kept"], summary["rows_quarantined"]) == (119998, 119996, 2)
    assert summary["issues_by_code"]["UNKNOWN_ACTIVITY"] == 2
    assert summary.get("warnings", []) == []


def test_the_service_desk_template_loads_and_runs_as_a_desk():
    scenario = load_scenario(TEMPLATE)
    assert scenario.timezone == "UTC" and scenario.calendar.country == "BR"
    run = simulate(scenario, days=2, warmup_days=0)
    events, cases = run.log.events, run.log.cases
    counts = events["activity"].value_counts()
    assert counts["call_received"] > 600                                 # ~445 on a Monday, ~353 on a Tuesday
    # every call becomes a ticket: none lost, none solved on the phone (but the few in hand at the horizon)
    assert 0 <= counts["call_received"] - counts["ticket_logged"] <= load_scenario(TEMPLATE).staffing.operators.count
    assert counts["dispatched"] > 0 and counts["completed"] > 0 and counts["closed"] > 0
    for never in ("call_abandoned", "resolved_by_phone", "part_requested", "unit_received"):
        assert counts.get(never, 0) == 0
    tickets = cases[cases["case_type"] == "ticket"]
    assert (tickets["zone"] == "desk").all() and (tickets["kind"] == "field").all()
    # the same rules judge the simulated log
    summary = check(run.log, RULES).summary.set_index("rule_id")
    assert summary.loc["resolve-96h", "cases"] == counts["ticket_logged"]   # every logged ticket is judged
    assert summary.loc["resolve-96h", "met"] > 0


def test_the_template_survives_the_fitted_scenario_s_toml(tmp_path):
    """What `svcsim fit --out` writes (Fitted.toml) reads back as the template: shift groups, holidays and all."""
    from svcsim.fitting import Fitted

    scenario = load_scenario(TEMPLATE)
    written = tmp_path / "fitted.toml"
    written.write_text(Fitted(scenario).toml())
    assert load_scenario(written).model_dump(exclude={"name"}) == scenario.model_dump(exclude={"name"})


def test_to_simod_converts_the_excerpt_with_a_chronological_split(tmp_path):
    assert to_simod.main([str(EXCERPT), "--out", str(tmp_path)]) == 0
    train, test = (pd.read_csv(tmp_path / f"{p}.csv", dtype=str, keep_default_na=False) for p in ("train", "test"))
    raw = pd.read_csv(EXCERPT, dtype=str)
    assert tuple(train.columns) == tuple(test.columns) == to_simod.SIMOD_COLUMNS
    train_ids, test_ids = set(train["case_id"]), set(test["case_id"])
    assert train_ids | test_ids == set(raw["number"]) and not train_ids & test_ids
    split = json.loads((tmp_path / "split.json").read_text())
    assert (split["train_incidents"], split["test_incidents"]) == (len(train_ids), len(test_ids))
    opened = pd.to_datetime(raw.groupby("number")["opened_at"].first(), format="%d/%m/%Y %H:%M", utc=True)
    cutoff = pd.Timestamp(split["cutoff"])
    assert (opened[list(train_ids)] < cutoff).all() and (opened[list(test_ids)] >= cutoff).all()
    # the backtest's rule: the first midnight by which 70 % had opened
    assert cutoff == cutoff.normalize() and (opened < cutoff).mean() >= 0.7 > (opened < cutoff - pd.Timedelta(days=1)).mean()
    both = pd.concat([train, test])
    assert (both["start_time"] == both["end_time"]).all() and "-100" not in set(both["activity"])
    # one Opened per incident (first but in the incidents whose update goes back before opened_at)
    assert (both[both["activity"] == "Opened"]["case_id"].value_counts() == 1).all()
    assert both["case_id"].nunique() == (both["activity"] == "Opened").sum()
    times = pd.to_datetime(both["start_time"], format="ISO8601")
    assert times.dt.tz is not None
    # one instance per run of one state: no two consecutive rows of a case in the same state
    same = (both["case_id"].shift() == both["case_id"]) & (both["activity"].shift() == both["activity"])
    assert not same.any()


def test_to_simod_says_in_one_line_what_is_wrong(tmp_path, capsys):
    bad = tmp_path / "other.csv"
    bad.write_text("ticket,status\nT1,Open\n")
    assert to_simod.main([str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no column number" in err
    assert to_simod.main([str(EXCERPT), "--train-share", "1.5", "--print-cutoff"]) == 2


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=2, max_size=60), st.floats(0.05, 0.95))
def test_the_split_is_a_chronological_partition(minutes, share):
    opened = pd.Timestamp("2016-03-01", tz="UTC") + pd.to_timedelta(minutes, unit="min")
    rows = pd.DataFrame({"number": [f"INC{i:04d}" for i in range(len(minutes))], "opened_at": opened})
    cutoff, train, test = to_simod.split_by_opening(rows, share)
    by_id = rows.set_index("number")["opened_at"]
    assert train | test == set(rows["number"]) and not train & test
    assert all(by_id[i] < cutoff for i in train) and all(by_id[i] >= cutoff for i in test)
    assert cutoff == cutoff.normalize()  # a midnight, as svcsim backtest --train-share splits
    assert len(train) >= share * len(rows) > (by_id < cutoff - pd.Timedelta(days=1)).sum()

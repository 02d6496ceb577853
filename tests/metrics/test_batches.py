"""Batch-fault detection on hand-made logs: the planted batch is flagged on the day the CUSUM says, with its part.

Also: the Markov-chain run lengths agree with a Monte Carlo run of the CUSUM,
a log without batches says it cannot run, and on many batch-years of
in-control reports the false flags stay within the stated rate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from svcsim.eventlog import EventLog
from svcsim.metrics.batches import FLAG_COLUMNS, batch_flags
from svcsim.metrics.cusum import cusum_arl, cusum_threshold, reference_value

ZONE = "Asia/Shanghai"
START = pd.Timestamp("2025-03-03", tz=ZONE)  # a Monday


def planted_log(days: int = 60, onset: int = 28) -> EventLog:
    """Weekdays only: 5 reports of P1-A, 3 of P1-B, 2 of P2-A a day; from ``onset`` P2-A has 6.

    Every report is a ticket called in at 10:00 local; the hardware ones get a
    part: P2-A's tickets after the onset a ``FAN``, every other ticket a
    ``BOARD``. One repeat call (a ticket with a parent) and one item of P2-A
    each day are not fault reports.
    """
    events, cases = [], []
    for day in range(days):
        date = START + pd.Timedelta(days=day)
        if date.weekday() >= 5:
            continue
        bad = day >= onset
        for batch, model, n in (("P1-A", "P1", 5), ("P1-B", "P1", 3), ("P2-A", "P2", 6 if bad else 2)):
            for i in range(n):
                case = f"T{day:03d}{batch}{i}"
                at = date + pd.Timedelta(hours=10)
                events += [(case, "call_received", at, None), (case, "ticket_logged", at + pd.Timedelta(minutes=5), None),
                           (case, "part_issued", at + pd.Timedelta(hours=3), "FAN" if bad and batch == "P2-A" else "BOARD")]
                cases.append({"case_id": case, "case_type": "ticket", "model": model, "batch": batch, "parent_id": None})
        repeat, item = f"R{day:03d}", f"I{day:03d}"
        events += [(repeat, "call_received", date + pd.Timedelta(hours=11), None),
                   (item, "item_received", date + pd.Timedelta(hours=12), None)]
        cases += [{"case_id": repeat, "case_type": "ticket", "model": "P2", "batch": "P2-A", "parent_id": f"T{day:03d}P2-A0"},
                  {"case_id": item, "case_type": "item", "model": "P2", "batch": "P2-A", "parent_id": f"T{day:03d}P2-A0"}]
    frame = pd.DataFrame(events, columns=["case_id", "activity", "timestamp", "part"])
    return EventLog.from_frames(frame, pd.DataFrame(cases))


SHARES = {"P1-A": 0.5, "P1-B": 0.3, "P2-A": 0.2}


def test_golden_the_planted_batch_is_flagged_when_its_cusum_passes_the_threshold():
    """Golden: P2-A triples from day 28 (a Monday); its CUSUM climbs 6 ln 2 - 0.2 x 14 a weekday from then on.

    Before the onset every batch reports exactly its share, so every CUSUM
    stays at zero; after it the other batches report below their share of
    the larger total. The flag falls on the first weekday when the sum
    passes the threshold, with the reports and expected number since the
    onset and the part only P2-A's repairs have.
    """
    log = planted_log()
    check = batch_flags(log, installed_base=SHARES, zone=ZONE)
    assert check.ran and check.reason is None
    assert list(check.flags.columns) == list(FLAG_COLUMNS)
    first = check.flags.iloc[0]
    assert set(check.flags["batch"]) == {"P2-A"}
    threshold = float(check.batches.set_index("batch").loc["P2-A", "threshold"])
    step = 6 * math.log(2) - 0.2 * 14 * (2 - 1)
    weekdays = math.floor(threshold / step) + 1  # weekdays of climbing until past the threshold
    onset = (START + pd.Timedelta(days=28)).date()
    flag_day = pd.bdate_range(onset, periods=weekdays)[-1].date()
    assert first["flagged_on"] == flag_day
    assert first["window_start"] == onset
    assert first["model"] == "P2"
    assert first["reports"] == 6 * weekdays
    assert first["expected"] == pytest.approx(0.2 * 14 * weekdays)
    assert first["ratio"] == pytest.approx(6 / 2.8)
    assert first["statistic"] == pytest.approx(step * weekdays)
    assert first["part"] == "FAN" and first["part_issues"] == 6 * weekdays and first["part_lift"] > 10


def test_repeats_and_items_are_not_fault_reports():
    """Each batch's reports are its tickets without a parent: 20 weekdays x (5, 3, 2), then P2-A's 6 a day."""
    check = batch_flags(planted_log(days=28), installed_base=SHARES, zone=ZONE)
    reports = check.batches.set_index("batch")["reports"].to_dict()
    assert reports == {"P1-A": 100, "P1-B": 60, "P2-A": 40}
    assert check.flags.empty and check.ran


def test_without_an_installed_base_the_shares_come_from_a_reference_window():
    """No installed base: the shares are those of the first 21 days (exactly 0.5/0.3/0.2 here); same flag day."""
    given = batch_flags(planted_log(), installed_base=SHARES, zone=ZONE)
    estimated = batch_flags(planted_log(), zone=ZONE, reference_days=21)
    assert estimated.batches["share"].round(9).tolist() == [0.5, 0.3, 0.2]
    assert estimated.flags.iloc[0]["flagged_on"] == given.flags.iloc[0]["flagged_on"]
    assert estimated.notes and "first 21 days" in estimated.notes[0]


def test_as_of_hides_later_reports():
    """As of the day before the onset there is nothing to flag."""
    check = batch_flags(planted_log(), installed_base=SHARES, zone=ZONE,
                        as_of=START + pd.Timedelta(days=27, hours=23))
    assert check.ran and check.flags.empty


def test_a_log_without_batches_says_it_cannot_run():
    log = planted_log(days=7)
    bare = EventLog.from_frames(log.events, log.cases.drop(columns=["batch", "model"]))
    check = batch_flags(bare)
    assert not check.ran
    assert "no batch attribute" in check.reason and "case_attributes" in check.reason
    assert check.flags.empty


def test_one_batch_cannot_be_tested_against_the_others():
    log = planted_log(days=7)
    cases = log.cases.assign(batch="P1-A")
    check = batch_flags(EventLog.from_frames(log.events, cases))
    assert not check.ran and "at least two" in check.reason


@pytest.mark.parametrize("mu0", [0.5, 3.0, 20.0])
def test_the_chain_run_length_agrees_with_monte_carlo(mu0):
    """Brook & Evans's ARL at the calibrated threshold is within 4 standard errors of 3,000 simulated runs."""
    h = cusum_threshold(mu0, 2.0, 150.0)
    assert cusum_arl(mu0, 2.0, h) >= 150.0
    k = reference_value(mu0, 2.0)
    rng = np.random.default_rng(7)
    n = 3000
    stat, length, alive, t = np.zeros(n), np.zeros(n), np.ones(n, dtype=bool), 0
    while alive.any():
        t += 1
        stat[alive] = np.maximum(0.0, stat[alive] + rng.poisson(mu0, int(alive.sum())) - k)
        hit = alive & (stat > h)
        length[hit] = t
        alive &= ~hit
    error = length.std() / math.sqrt(n)
    assert abs(length.mean() - cusum_arl(mu0, 2.0, h)) < 4 * error


def test_a_shift_makes_the_run_length_much_shorter():
    h = cusum_threshold(2.0, 2.0, 1000.0)
    assert cusum_arl(2.0, 2.0, h, mu=4.0) < cusum_arl(2.0, 2.0, h) / 50


def in_control_log(batches: int, years: int, seed: int) -> tuple[EventLog, dict[str, float]]:
    """``years`` of weekdays with Poisson(150) reports split over ``batches`` batches of four sizes."""
    rng = np.random.default_rng(seed)
    share = np.resize([1.0, 2.0, 4.0, 8.0], batches)
    share /= share.sum()
    days = pd.date_range("2024-01-01", periods=int(365.25 * years), freq="D", tz=ZONE)
    weekdays = days[days.day_of_week < 5]
    total = rng.poisson(150.0, len(weekdays))
    day = np.repeat(np.arange(len(weekdays)), total)
    batch = rng.choice(batches, size=len(day), p=share)
    names = [f"B{b:02d}" for b in range(batches)]
    ids = np.char.add("T", np.arange(len(day)).astype(str)).astype(object)
    events = pd.DataFrame({"case_id": ids, "activity": "ticket_logged",
                           "timestamp": weekdays[day] + pd.Timedelta(hours=10)})
    cases = pd.DataFrame({"case_id": ids, "case_type": "ticket", "batch": np.array(names, dtype=object)[batch]})
    return EventLog.from_frames(events, cases), dict(zip(names, share, strict=True))


def test_false_flags_stay_within_the_stated_rate():
    """In control, 20 batches x 3 years: the false flags per batch-year are not above the design's 0.5.

    The bound holds when the exact 95 % binomial (Clopper-Pearson) interval of
    the flag rate over batch-days reaches down to it: the rate per batch-year
    is at most the design rate (the threshold's ARL is at least the design's).
    """
    from scipy.stats import beta

    log, shares = in_control_log(batches=20, years=3, seed=3)
    check = batch_flags(log, installed_base=shares, zone=ZONE, false_alarms_per_year=0.5)
    assert check.ran
    batch_days = 20 * check.days
    flags = len(check.flags)
    low = beta.ppf(0.025, flags, batch_days - flags + 1) if flags else 0.0
    assert 365.25 * low <= 0.5, (flags, batch_days)
    assert (check.batches["false_alarms_per_year"] <= 0.5 + 1e-9).all()


LIVE_MAPPING = """
[columns]
case_id = "Ticket"
activity = "Status"
timestamp = "Updated"
[timestamps]
format = "%Y-%m-%d %H:%M"
timezone = "Asia/Shanghai"
[activities.map]
"Logged" = "ticket_logged"
"Part issued" = "part_issued"
[case_attributes]
model = "Product"
batch = "Lot"
[case_constants]
case_type = "ticket"
"""


def test_a_live_export_is_checked_through_its_mapping(tmp_path):
    """The planted log written as a ticketing export (Product, Lot columns), loaded by a mapping: the same flag."""
    from svcsim import load_events

    log = planted_log()
    ev = log.events.merge(log.cases[["case_id", "model", "batch", "case_type", "parent_id"]], on="case_id")
    ev = ev[(ev["case_type"] == "ticket") & ev["parent_id"].isna()]  # an export of first tickets only
    rows = pd.DataFrame({
        "Ticket": ev["case_id"].astype(str),
        "Status": ev["activity"].astype(str).map({"call_received": "Logged", "ticket_logged": "Logged",
                                                  "part_issued": "Part issued"}),
        "Updated": ev["timestamp"].dt.tz_convert(ZONE).dt.strftime("%Y-%m-%d %H:%M"),
        "Product": ev["model"], "Lot": ev["batch"],
    })
    rows = rows.drop_duplicates(["Ticket", "Status"])
    (tmp_path / "export.csv").write_text(rows.to_csv(index=False))
    (tmp_path / "mapping.toml").write_text(LIVE_MAPPING)
    live, _ = load_events(tmp_path / "export.csv", tmp_path / "mapping.toml")
    assert {"model", "batch"} <= set(live.cases.columns)
    check = batch_flags(live, installed_base=SHARES, zone=ZONE)
    expected = batch_flags(planted_log(), installed_base=SHARES, zone=ZONE)
    assert check.ran
    assert check.flags.iloc[0]["flagged_on"] == expected.flags.iloc[0]["flagged_on"]
    assert check.flags.iloc[0]["batch"] == "P2-A" and check.flags.iloc[0]["model"] == "P2"
    assert check.flags.iloc[0]["part"] is None  # the export has no part column: the evidence says so


def test_the_batches_command_prints_the_flags_or_says_why_it_cannot_run(tmp_path, capsys):
    """`svcsim batches LOG`: the planted batch and its evidence; a log without batches is exit status 2, one line."""
    import subprocess
    import sys

    import svcsim
    from svcsim.cli import main

    path = svcsim.write_log(planted_log(), tmp_path / "log")
    assert main(["batches", str(path), "--zone", ZONE, "--reference-days", "21"]) == 0
    out = capsys.readouterr().out
    assert "Flags (" in out and "P2-A" in out and "FAN" in out
    bare = planted_log(days=7)
    bare_path = svcsim.write_log(EventLog.from_frames(bare.events, bare.cases.drop(columns=["batch", "model"])),
                                 tmp_path / "bare")
    proc = subprocess.run([sys.executable, "-m", "svcsim.cli", "batches", str(bare_path)], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "cannot run" in proc.stderr and "no batch attribute" in proc.stderr

"""The report of one judged log: a simulated run (:class:`~svcsim.Run`) or a live check (:class:`~svcsim.CheckResult`).

A run's page: the headline, each target's attainment over the verdicts due
by the horizon, the mean number waiting in each queue (callers on hold,
tickets waiting for dispatch, units at the administrators' desk and on the
bench) per day and by hour of day (:mod:`svcsim.report.queues`), staff busy over the horizon and by hour of day, stock on
hand and at the supplier per part (when the run has parts and a stock
trace), the vendor ageing and the head of the escalation list. A live
check's page: the headline, the attainment, the validation summary (rows
read, kept, quarantined by code), the supervisor's monthly KPIs and the
worst escalations. Each table built here is one that ``--out`` writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from svcsim import __version__
from svcsim.report import attainment
from svcsim.report.busy import busy_by_day, busy_by_hour, hourly_busy
from svcsim.report.data import ReportData, builder
from svcsim.report.queues import (
    hourly_queues,
    queue_peaks,
    queues_by_day,
    queues_by_hour,
    waiting_intervals,
)
from svcsim.rules import CheckResult
from svcsim.simulation import Run

__all__ = ["check_report_data", "run_report_data", "stock_levels", "vendor_ageing"]

#: How many escalations the page lists.
TOP_ESCALATIONS = 10


def _escalations(table: pd.DataFrame, zone: str) -> pd.DataFrame:
    head = table.head(TOP_ESCALATIONS)
    return pd.DataFrame({
        "case_id": head["case_id"].astype(str).to_numpy(),
        "rule_id": head["rule_id"].astype(str).to_numpy(),
        "level": head["level"].to_numpy(),
        "due": [f"{t.tz_convert(zone):%Y-%m-%d %H:%M}" for t in head["due"]],
        "overdue_h": (head["overdue"].dt.total_seconds() / 3600.0).round(1).to_numpy(),
    })


def vendor_ageing(stock: pd.DataFrame) -> pd.DataFrame:
    """Items still at the vendor past each milestone of the vendor ladder, all parts together (``ALL`` row)."""
    columns = [c for c in stock.columns if c.startswith("past_")]
    if not columns or stock.empty:
        return pd.DataFrame({"milestone": pd.Series([], dtype=object), "items_past": pd.Series([], dtype=np.int64)})
    row = stock[stock["part"] == "ALL"].iloc[0] if (stock["part"] == "ALL").any() else stock[columns].sum()
    return pd.DataFrame({"milestone": [c.removeprefix("past_") for c in columns],
                         "items_past": [int(row[c]) for c in columns]})


def stock_levels(trace: pd.DataFrame | None, days: int) -> pd.DataFrame:
    """Per part and day (``day`` 0 = the start, then each day's end): ``on_hand`` and ``at_vendor`` at that moment."""
    empty = pd.DataFrame({"sku": pd.Series([], dtype=object), "day": [], "on_hand": [], "at_vendor": []})
    if trace is None or trace.empty:
        return empty
    moments = np.arange(days + 1, dtype=float) * 1440.0
    frames = []
    for sku, rows in trace.groupby("sku", sort=True, observed=True):
        rows = rows.sort_values("minute", kind="stable")
        at = np.searchsorted(rows["minute"].to_numpy(float), moments, side="right") - 1
        known = at >= 0
        frames.append(pd.DataFrame({"sku": str(sku), "day": np.arange(days + 1)[known],
                                    "on_hand": rows["on_hand"].to_numpy()[at[known]],
                                    "at_vendor": rows["at_vendor"].to_numpy()[at[known]]}))
    return pd.concat(frames, ignore_index=True) if frames else empty


def _zone(result: CheckResult) -> str:
    rules = result.rules
    cal = rules.calendars.get(rules.default_calendar) if rules.default_calendar else None
    return cal.timezone if cal is not None else "UTC"


@builder(Run)
def run_report_data(run: Run, *, require: dict[str, float], command: str | None,
                    check: CheckResult | None = None, kpis: pd.DataFrame | None = None) -> ReportData:
    """The report of one simulated run; ``check`` is ``run.check()`` when the caller has it already."""
    from svcsim.metrics import stock_results

    result = run.check() if check is None else check
    require = attainment.check_requirements(require, list(result.summary["rule_id"].astype(str)))
    zone = getattr(run.scenario, "timezone", "UTC")
    hourly = hourly_busy(run.busy, run.days)
    start_hour = int(run.start.tz_convert(zone).hour)
    waiting = hourly_queues(waiting_intervals(run.events, run.start, run.end, run.log.cases), run.days)
    stock = stock_results(run.log, as_of=run.end, result=result)
    tables = {
        "attainment.csv": attainment.from_single(result.summary, require),
        "utilisation.csv": run.utilisation.assign(utilisation_pct=(100 * run.utilisation["utilisation"]).round(1)),
        "busy_by_day.csv": busy_by_day(hourly),
        "busy_by_hour.csv": busy_by_hour(hourly, start_hour),
        "queues_by_day.csv": queues_by_day(waiting),
        "queues_by_hour.csv": queues_by_hour(waiting, start_hour),
        "stock_levels.csv": stock_levels(run.stock_trace, run.days),
        "vendor_ageing.csv": vendor_ageing(stock),
        "top_escalations.csv": _escalations(result.escalations, zone),
    }
    tables["queues.csv"] = queue_peaks(tables["queues_by_hour.csv"])
    omitted = {}
    if run.stock.empty or not run.stock["demands"].sum():
        omitted["Stock per part"] = "No job needed a spare part in this run, so there is no stock to show."
        tables["stock_levels.csv"] = tables["stock_levels.csv"].iloc[0:0]
    elif tables["stock_levels.csv"].empty:
        omitted["Stock per part"] = "The run kept no stock trace (simulate(..., stock_trace=True) keeps one)."
    cases = run.log.cases
    if "case_type" not in cases or not (cases["case_type"].astype(str) == "item").any():
        omitted["Vendor ageing"] = "No item went through the repair and vendor loop in this run, so nothing can age there."
        tables["vendor_ageing.csv"] = tables["vendor_ageing.csv"].iloc[0:0]
    if tables["top_escalations.csv"].empty:
        omitted["Escalations"] = "No open item was past due at the end of the horizon."
    calls = int((run.events["activity"] == "call_received").sum())
    headline = {
        "Scenario": str(run.scenario.name),
        "Period": f"{run.start.tz_convert(zone):%Y-%m-%d} to {run.end.tz_convert(zone):%Y-%m-%d} ({run.days:,} days, {zone})",
        "Seed": f"{run.seed}, replication {run.replication}",
        "Replications": "1 (a single run: no interval)",
        "Warm-up": f"{run.warmup_days:,} days simulated before the period, not judged" if run.warmup_days else "none (cold start)",
        "Volume": f"{calls:,} calls, {len(run.events):,} events in {run.log.n_cases:,} cases",
        "Produced by": f"{command or 'svcsim.report()'} (svcsim {__version__})",
    }
    return ReportData("run", f"Run of {run.scenario.name}", headline, tables, omitted)


@builder(CheckResult)
def check_report_data(result: CheckResult, *, require: dict[str, float], command: str | None,
                      validation: Any = None, kpis: pd.DataFrame | None = None, source: str | None = None) -> ReportData:
    """The report of a live check; ``validation`` its :class:`~svcsim.ValidationReport`, ``kpis`` its monthly KPIs."""
    require = attainment.check_requirements(require, list(result.summary["rule_id"].astype(str)))
    zone = _zone(result)
    tables: dict[str, pd.DataFrame] = {"attainment.csv": attainment.from_single(result.summary, require)}
    omitted: dict[str, str] = {}
    if validation is not None:
        counts = {"rows read": validation.rows_read, "rows kept": validation.rows_kept,
                  "rows repaired": validation.rows_repaired, "rows quarantined": validation.rows_quarantined,
                  "events derived": validation.events_derived}
        by_code = validation.counts_by_code()
        tables["validation.csv"] = pd.DataFrame({
            "what": [*counts, *(f"issue {code}" for code in by_code)],
            "rows": [int(v) for v in [*counts.values(), *by_code.values()]]})
        source = source or validation.source
    else:
        omitted["Validation"] = "The log was given already loaded, without its validation report."
    if kpis is not None and not kpis.empty:
        tables["kpis.csv"] = kpis
    else:
        omitted["Monthly KPIs"] = "The log lacks the columns the supervisor's monthly KPIs need."
    tables["top_escalations.csv"] = _escalations(result.escalations, zone)
    if tables["top_escalations.csv"].empty:
        omitted["Escalations"] = "No open item was past due at the as-of moment."
    results = result.results
    first = results["start"].min() if len(results) else None
    headline = {
        "Log": source or "(an event log given to svcsim.report)",
        "Period": (f"{first.tz_convert(zone):%Y-%m-%d} to {result.as_of.tz_convert(zone):%Y-%m-%d %H:%M} ({zone})"
                   if first is not None and pd.notna(first) else f"to {result.as_of.tz_convert(zone):%Y-%m-%d %H:%M}"),
        "Judged as of": _with_offset(result.as_of.tz_convert(zone)),
        "Verdicts": f"{len(results):,} (case, rule, cycle) rows",
        "Produced by": f"{command or 'svcsim.report()'} (svcsim {__version__})",
    }
    return ReportData("check", "Check of a live log", headline, tables, omitted)


def _with_offset(stamp: pd.Timestamp) -> str:
    """``YYYY-MM-DD HH:MM +HH:MM``: a numeric UTC offset, never an ambiguous zone name such as CST."""
    offset = stamp.strftime("%z")
    return f"{stamp:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"

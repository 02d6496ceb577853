"""Every text table the command line prints, in one place.

Each formatter takes a table the library computed (a check summary, the
escalation list, a run's utilisation, stock results, monthly KPIs, a
replications summary, a comparison, a sweep) and returns readable text; none
computes a result. pandas is imported here, so the command modules import
this one only inside their handlers (``--help`` stays light).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from svcsim.metrics.stock import ALL_PARTS
from svcsim.rules.horizon import NOT_YET_DUE

__all__ = [
    "KIND_LABELS",
    "format_backtest_distances",
    "format_backtest_verdicts",
    "format_comparison",
    "format_confidence_table",
    "format_escalations",
    "format_monthly_kpis",
    "format_skipped",
    "format_stock_results",
    "format_summary",
    "format_sweep",
    "format_utilisation",
]

#: How a replication metric's kind reads in a table heading.
KIND_LABELS = {
    "attainment_pct": "attainment %",
    "clock_mean_h": "clock mean h",
    "clock_p90_h": "clock p90 h",
    "utilisation_pct": "utilisation %",
    "answer_wait_mean_h": "answer wait mean h",
    "answer_wait_p90_h": "answer wait p90 h",
    "abandoned_pct": "abandoned %",
    "calls": "calls",
    "due_count": "verdicts due",
}


def local_stamp(ts: pd.Timestamp, zone: str) -> str:
    """``ts`` in ``zone`` as ``YYYY-MM-DD HH:MM +HH:MM``: a numeric offset, never an ambiguous name such as CST."""
    local = pd.Timestamp(ts).tz_convert(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


# -- svcsim check and svcsim run -------------------------------------------
#: One line under the targets table, in the words of docs/explanation/sla-semantics.md.
TARGETS_LEGEND = ("(met/held: on time, or a fix that held; missed: late, or a fix that failed; open missed: "
                  "still open and already late; open: still running; at risk: running and close to its target (warn_at); "
                  "n/a: in scope but nothing to judge; invalid: quarantined rows)")
def format_summary(summary: pd.DataFrame) -> str:
    """The per-rule summary as a readable table."""
    table = pd.DataFrame(
        {
            "rule": summary["rule_id"],
            "cases": summary["cases"],
            "met/held": summary["met"] + summary["held"],
            "missed": summary["breached"] + summary["failed"],
            "open missed": summary["breached_open"],
            "open": summary["running"] + summary["at_risk"] + summary["pending"],
            "at risk": summary["at_risk"],
            "n/a": summary["not_applicable"],
            "invalid": summary["invalid"],
            "attainment": summary["attainment_pct"].map(lambda v: "-" if pd.isna(v) else f"{v:.1f}%"),
        }
    )
    if "not_yet_due" in summary.columns:  # a run's summary: attainment over the verdicts due by the horizon
        table.insert(len(table.columns) - 1, "not yet due", summary["not_yet_due"])
        table["attainment"] = [NOT_YET_DUE if verdict == NOT_YET_DUE else text
                               for verdict, text in zip(summary["verdict"], table["attainment"], strict=True)]
        return ("Targets (attainment over the verdicts due by the horizon; not yet due: due after it)\n"
                + table.to_string(index=False) + "\n" + TARGETS_LEGEND)
    return "Targets\n" + table.to_string(index=False) + "\n" + TARGETS_LEGEND


def format_escalations(esc: pd.DataFrame, zone: str, top: int) -> str:
    """The head of the escalation list as a readable table."""
    if esc.empty:
        return "Escalations: none open past due."
    head = esc.head(top)
    table = pd.DataFrame(
        {
            "case": head["case_id"].astype(str),
            "rule": head["rule_id"].astype(str),
            "level": head["level"],
            "due": [local_stamp(t, zone) for t in head["due"]],
            "overdue": head["overdue"].map(_human),
        }
    )
    return f"Escalations ({len(esc):,} open past due, worst first; top {len(head)})\n" + table.to_string(index=False)


def _human(delta: pd.Timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours:02d}h{minutes:02d}" if days else f"{hours}h{minutes:02d}"


def format_utilisation(table: pd.DataFrame, window: str = "") -> str:
    """Each role's staff, busy hours, on-duty hours and utilisation, as a readable table; ``window`` says over when."""
    shown = pd.DataFrame({
        "role": table["role"],
        "staff": table["staff"],
        "busy h": (table["busy_minutes"] / 60).round(1),
        "on duty h": (table["on_duty_minutes"] / 60).round(1),
        "utilisation": table["utilisation"].map(lambda v: "-" if pd.isna(v) else f"{100 * v:.1f}%"),
    })
    return f"Utilisation (busy time over on-duty time{', ' + window if window else ''})\n" + shown.to_string(index=False)


# -- metrics: monthly KPIs and stock results ----------------------------------
def _pct(value: float) -> str:
    return "-" if pd.isna(value) else f"{100 * value:.1f}%"


def _count(value: float) -> str:
    return "-" if pd.isna(value) else f"{int(value):,}"


def format_skipped(skipped: dict[str, str]) -> str:
    """One summary line of the KPIs left out, grouped by reason (empty when none was)."""
    if not skipped:
        return ""
    by_reason: dict[str, list[str]] = {}
    for kpi, reason in skipped.items():
        by_reason.setdefault(reason, []).append(kpi)
    groups = "; ".join(f"{', '.join(kpis)}: {reason}" for reason, kpis in by_reason.items())
    return f"  skipped {len(skipped)} KPI{'s' if len(skipped) != 1 else ''} ({groups})"


def format_monthly_kpis(frame: pd.DataFrame, *, top: int = 10) -> str:
    """One line per month with the headline KPIs, the abnormal usages flagged, and the KPIs skipped and why."""
    skipped: dict[str, str] = frame.attrs.get("skipped", {})
    zone = frame.attrs.get("zone", "")
    lines = [f"Monthly KPIs (calendar months in {zone}; * = the log covers part of the month)" if zone else "Monthly KPIs"]
    if frame.empty:
        lines.append("  none: the log has none of what the KPIs need")
    else:
        total = frame[frame["part"].isna()]
        wide = total.pivot_table(index="month", columns="kpi", values="value", aggfunc="first", dropna=False)
        den = total.pivot_table(index="month", columns="kpi", values="denominator", aggfunc="first", dropna=False)
        months = frame.drop_duplicates("month")[["month", "partial"]].set_index("month")["partial"]
        table = pd.DataFrame({"month": [m + ("*" if months[m] else "") for m in months.index]})

        def col(name: str) -> np.ndarray | None:
            return wide[name].reindex(months.index).to_numpy() if name in wide.columns else None

        shown = {
            "returns": ("returns", _count), "returns_defective": ("defective", _count), "returns_doa": ("DOA items", _count),
            "bench_units_received": ("bench units", _count), "repair_success_rate": ("fixes held", _pct),
            "repairs_pending": ("pending", _count), "doa_rate": ("DOA rate", _pct),
            "batch_flags": ("batch flags", _count),
        }
        for kpi, (label, fmt) in shown.items():
            values = col(kpi)
            if values is not None:
                table[label] = [fmt(v) for v in values]
        usage = frame[frame["kpi"] == "part_usage"]
        if len(usage):
            flagged = usage.groupby("month")["flag"].apply(lambda f: int(f.fillna(False).sum()))
            known = usage.groupby("month")["part"].nunique()
            table["abnormal usage"] = [f"{flagged.get(m, 0)}/{known.get(m, 0)} SKUs" for m in months.index]
        slow = col("slow_moving_skus")
        if slow is not None:
            n = den["slow_moving_skus"].reindex(months.index).to_numpy()
            table["slow-moving"] = [f"{_count(a)}/{_count(b)} SKUs" for a, b in zip(slow, n, strict=True)]
        lines.append(table.to_string(index=False))
        hits = usage[usage["flag"].fillna(False).astype(bool)]
        if len(hits):
            lines.append(f"Abnormal part usage ({len(hits)} month x SKU flagged; top {min(top, len(hits))} by p-value)")
            head = hits.sort_values("p_value").head(top)
            lines.append(pd.DataFrame({
                "month": head["month"], "part": head["part"], "issued": head["value"].map(_count),
                "expected": head["expected"].map(lambda v: f"{v:.1f}"), "p-value": head["p_value"].map(lambda v: f"{v:.2g}"),
            }).to_string(index=False))
        batches = frame[(frame["kpi"] == "batch_flags") & frame["note"].notna()] if len(frame) else frame
        if len(batches):
            lines.append("Batch-fault flags (Poisson CUSUM; docs/explanation/batch-detection.md)")
            lines += [f"  {m}: {n}" for m, n in zip(batches["month"], batches["note"], strict=True)]
    if skipped:
        lines.append(format_skipped(skipped))
    return "\n".join(lines)


def format_stock_results(frame: pd.DataFrame, window: str = "") -> str:
    """Per part: requests, fill rate, jobs that waited for parts, items at the vendor and past each milestone.

    ``window`` says what the counts of requests and jobs cover; the items at
    the vendor are those out at the end of it.
    """
    skipped: dict[str, str] = frame.attrs.get("skipped", {})
    counted = f"requests and jobs {window}; " if window else ""
    lines = [f"Stock ({counted}fill rate = requests served without waiting for parts; "
             "at vendor: items out at the end, and how many are past each follow-up)"]
    if frame.empty:
        lines.append("  none: the log records no parts")
    else:
        table = pd.DataFrame({"part": frame["part"].astype(str)})
        if "fill_rate" in frame.columns:
            table["requests"] = frame["requests"].map(_count)
            table["fill rate"] = frame["fill_rate"].map(_pct)
            table["jobs waited"] = [f"{_count(w)} of {_count(j)} ({_pct(s)})" for w, j, s in
                                    zip(frame["jobs_waited"], frame["jobs"], frame["jobs_waited_share"], strict=True)]
        if "at_vendor" in frame.columns:
            table["at vendor"] = frame["at_vendor"].map(_count)
            for column in [c for c in frame.columns if c.startswith("past_")]:
                table["past " + column.removeprefix("past_").split("_")[-1]] = frame[column].map(_count)
        lines.append(table.to_string(index=False))
        if ALL_PARTS in set(frame["part"]):
            lines.append(f"({ALL_PARTS}: every part; its jobs are every job, whether it needed a part or not)")
    if skipped:
        lines.append(format_skipped(skipped))
    return "\n".join(lines)


# -- replications: run --replications, compare, sweep -------------------------
#: Kinds held as shares from 0 to 1 and shown as percentages.
SHARE_KINDS: tuple[str, ...] = ("stock.fill_rate",)


def _metric_names(kinds: Sequence[str], subjects: Sequence[str]) -> list[str]:
    return [f"{KIND_LABELS.get(k, _stock_label(k))} {s}".strip() for k, s in zip(kinds, subjects, strict=True)]


def _stock_label(kind: str) -> str:
    """``stock.fill_rate`` reads ``fill rate %`` (shown as a percentage, like attainment); other kinds as they are."""
    return "fill rate %" if kind == SHARE_KINDS[0] else kind


def _decimals(kind: str) -> int:
    """One precision per unit: percentages and percentage points 2 decimals, hours 3, mean counts 1."""
    if kind.endswith("_pct") or kind in SHARE_KINDS:
        return 2
    if kind.endswith("_h"):
        return 3
    return 1  # calls, verdicts due, stock counts: means of counts


def _number(value: float, kind: str = "") -> str:
    """``value`` of a metric of ``kind`` at its unit's precision (a share as a percentage)."""
    if pd.isna(value):
        return "-"
    if kind in SHARE_KINDS:
        value = 100 * value
    return f"{value:,.{_decimals(kind)}f}"


def _numbers(values: Iterable[float], kinds: Iterable[str]) -> list[str]:
    return [_number(v, k) for v, k in zip(values, kinds, strict=True)]


def format_confidence_table(summary: pd.DataFrame, confidence: float = 0.95) -> str:
    """A replications summary (mean, CI, half-width, n per metric) as a readable table."""
    level = f"{round(100 * confidence)}% CI"
    summary, none_due = _due_split(summary, "mean")
    table = pd.DataFrame({
        "metric": _metric_names(summary["kind"], summary["subject"]),
        "mean": [NOT_YET_DUE if late else _number(v, k)
                 for v, k, late in zip(summary["mean"], summary["kind"], none_due, strict=True)],
        level: [f"[{_number(lo, k)}, {_number(hi, k)}]" + ("^" if clip else "") for lo, hi, k, clip in
                zip(summary["ci_low"], summary["ci_high"], summary["kind"], _clipped(summary), strict=True)],
        "+-": _numbers(summary["half_width"], summary["kind"]),
        "n": summary["n"],
    })
    note = "\n^: clipped to the metric's range (the t interval went past it)" if any(_clipped(summary)) else ""
    return table.to_string(index=False) + note


def _clipped(summary: pd.DataFrame) -> list[bool]:
    return summary["clipped"].fillna(False).astype(bool).tolist() if "clipped" in summary.columns else [False] * len(summary)


def _due_split(table: pd.DataFrame, column: str) -> tuple[pd.DataFrame, list[bool]]:
    """``table`` without its ``due_count`` rows, and per row whether it is an attainment with no verdict due.

    The tidy metrics count, per rule, the verdicts due by the horizon; a
    target none of whose verdicts fell due reads "not yet due", not "-".
    """
    due = table[table["kind"] == "due_count"]
    shown = table[table["kind"] != "due_count"].reset_index(drop=True)
    none = {str(s) for s, v in zip(due["subject"], due[column], strict=True) if v == 0}
    return shown, [k == "attainment_pct" and str(s) in none for k, s in zip(shown["kind"], shown["subject"], strict=True)]


def format_comparison(table: pd.DataFrame, first: Sequence[str] = ()) -> str:
    """A paired comparison (A, B, B - A with its 95% CI, the unpaired half-width, the variance reduction), with its legend.

    ``first``: rule ids or metric kinds whose rows come first, in that
    order. A difference whose interval excludes zero is marked ``*``; a
    comparison with too few replications for an interval says so.
    """
    if first:
        rank = {name: i for i, name in enumerate(first)}
        order = [min(rank.get(str(k), len(rank)), rank.get(str(s), len(rank)))
                 for k, s in zip(table["kind"], table["subject"], strict=True)]
        table = table.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")
    _, none_b = _due_split(table, "mean_b")
    table, none_a = _due_split(table, "mean_a")
    shown = pd.DataFrame({
        "metric": _metric_names(table["kind"], table["subject"]),
        "A": [NOT_YET_DUE if late else _number(v, k) for v, k, late in zip(table["mean_a"], table["kind"], none_a, strict=True)],
        "B": [NOT_YET_DUE if late else _number(v, k) for v, k, late in zip(table["mean_b"], table["kind"], none_b, strict=True)],
        "B - A": _numbers(table["difference"], table["kind"]),
        "95% CI": [f"[{_number(lo, k)}, {_number(hi, k)}]"
                   for lo, hi, k in zip(table["ci_low"], table["ci_high"], table["kind"], strict=True)],
        "": ["*" if (lo > 0 or hi < 0) else "" for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)],
        "+- unpaired": _numbers(table["independent_half_width"], table["kind"]),
        "var. reduction": table["variance_reduction_pct"].map(lambda v: "-" if pd.isna(v) else f"{v:.0f}%".replace("-0%", "0%")),
    })
    legend = ("\n\n*: the interval excludes zero; +- unpaired: the half-width independent runs would give; "
              "var. reduction: 1 - var(B-A) / (var A + var B)")
    if len(table) and table["ci_low"].isna().all():
        legend += "\ntoo few replications for an interval: run at least 2 (--replications)"
    return shown.to_string(index=False) + legend


def format_sweep(summary: pd.DataFrame, fields: Sequence[str], metric: str) -> str:
    """One row per grid point, one column per subject of ``metric``: ``mean +- half-width``, under a heading.

    ``summary`` must hold rows of kind ``metric`` (the caller says what to do when it has none).
    """
    part = summary[summary["kind"] == metric]
    keys = [*fields, "subject"]
    due = summary[summary["kind"] == "due_count"]
    none_due = {tuple(row) for row in due.loc[due["mean"] == 0, keys].itertuples(index=False)}
    late = [metric == "attainment_pct" and tuple(row) in none_due for row in part[keys].itertuples(index=False)]
    cells = part.assign(cell=[NOT_YET_DUE if n else f"{_number(m, metric)} +- {_number(h, metric)}"
                              for m, h, n in zip(part["mean"], part["half_width"], late, strict=True)])
    table = cells.pivot(index=list(fields), columns="subject", values="cell")
    table = table[[s for s in dict.fromkeys(part["subject"]) if s in table.columns]]
    return f"{KIND_LABELS.get(metric, _stock_label(metric))}, mean +- 95% CI half-width\n" + table.reset_index().to_string(index=False)


# -- svcsim backtest ------------------------------------------------------------
def _hours(value: float) -> str:
    return "-" if pd.isna(value) else f"{value:.2f}"


def format_backtest_distances(table: pd.DataFrame, replications: int) -> str:
    """The model's distances (mean and range over replications) beside the two naive baselines'."""
    shown = pd.DataFrame({
        "measure": table["title"],
        "model mean": table["model_mean"].map(_hours),
        "[min, max]": [f"[{_hours(a)}, {_hours(b)}]" for a, b in zip(table["model_min"], table["model_max"], strict=True)],
        "replay last weeks": table["replay"].map(_hours),
        "draw cycle times": [("0 (real arrivals)" if m == "case_arrivals_h" else _hours(v))
                             for m, v in zip(table["measure"], table["draw"], strict=True)],
    })
    return (f"Distances from the real held-out log (earth mover's distance in hours; lower is closer; "
            f"model over {replications} replication{'s' if replications != 1 else ''})\n"
            + shown.to_string(index=False))


def format_backtest_verdicts(verdicts: pd.DataFrame, weeks: int) -> str:
    """Per rule: held-out weeks whose real attainment fell inside, above or below the simulated 95 % interval."""
    shown = verdicts.rename(columns={"rule_id": "rule"})
    return (f"Rule attainment in {weeks} held-out week{'s' if weeks != 1 else ''}: real against the simulated "
            "95% interval (weeks inside, above, below; no verdict: nothing due that week)\n"
            + shown.to_string(index=False))

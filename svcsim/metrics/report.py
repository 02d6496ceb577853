"""Readable text of the metric tables for the command line (``svcsim check`` and ``svcsim run``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.metrics.stock import ALL_PARTS

__all__ = ["format_monthly_kpis", "format_skipped", "format_stock_results", "kpi_section"]


def _pct(value: float) -> str:
    return "-" if pd.isna(value) else f"{100 * value:.1f}%"


def _count(value: float) -> str:
    return "-" if pd.isna(value) else f"{int(value):,}"


def format_skipped(skipped: dict[str, str]) -> str:
    """One line per KPI left out, with the reason."""
    return "\n".join(f"  skipped {kpi}: {reason}" for kpi, reason in skipped.items())


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

        def col(name: str) -> np.ndarray:
            return wide[name].reindex(months.index).to_numpy() if name in wide.columns else None

        shown = {
            "returns": ("returns", _count), "returns_defective": ("defective", _count), "returns_doa": ("DOA items", _count),
            "bench_units_received": ("bench units", _count), "repair_success_rate": ("fixes held", _pct),
            "repairs_pending": ("pending", _count), "doa_rate": ("DOA rate", _pct),
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
    if skipped:
        lines.append(format_skipped(skipped))
    return "\n".join(lines)


def format_stock_results(frame: pd.DataFrame) -> str:
    """Per part: requests, fill rate, jobs that waited for parts, items at the vendor and past each milestone."""
    skipped: dict[str, str] = frame.attrs.get("skipped", {})
    lines = ["Stock (fill rate = requests served without waiting for parts; items at the vendor past each follow-up)"]
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


def kpi_section(log, rules, as_of: pd.Timestamp, zone: str) -> tuple[pd.DataFrame, str]:  # noqa: ANN001 (EventLog, RuleSet)
    """The monthly KPIs of ``log`` and their text, for a command that already judged the log."""
    from svcsim.errors import InputError
    from svcsim.metrics.monthly import monthly_kpis

    try:
        frame = monthly_kpis(log, as_of=as_of, rules=rules, zone=zone)
    except InputError as exc:  # the targets above stand; say why the KPIs could not follow
        return pd.DataFrame(), f"Monthly KPIs: not computed: {exc}"
    return frame, format_monthly_kpis(frame)

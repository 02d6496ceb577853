"""The report's figures: matplotlib drawings of the report's tables, as inline SVG text.

Every figure takes one of :class:`~svcsim.report.data.ReportData`'s tables
and draws it, nothing more. Colours are Okabe and Ito's colour-blind-safe
palette; axes are titled in hours, %, staff or units. Text stays text in the
SVG (``svg.fonttype = none``), which keeps a figure small and printable.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["OKABE_ITO", "attainment_figure", "busy_figure", "candidates_figure", "difference_figure",
           "plan_requirement_figure", "queue_figure", "stock_figure", "sweep_figure", "to_svg", "vendor_figure"]

#: Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
GOOD, BAD, UNSURE, NEUTRAL = "#009E73", "#D55E00", "#E69F00", "#0072B2"
_STYLE = {"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
          "axes.prop_cycle": matplotlib.cycler(color=OKABE_ITO), "svg.hashsalt": "svcsim"}


def to_svg(draw: Callable[[], Figure]) -> str:
    """The figure ``draw()`` makes, as an ``<svg>`` element (no XML header), closed afterwards."""
    with plt.rc_context(_STYLE):
        figure = draw()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _margins(figure: Figure, *, left: float = 0.9, bottom: float = 0.55, top: float = 0.35, right: float = 0.15,
             wspace: float = 0.3) -> None:
    """Fixed margins in inches (no layout pass: it would cost a whole extra draw of the figure)."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height,
                           wspace=wspace)


def _colour(meets: str) -> str:
    return {"True": GOOD, "False": BAD, "unsure": UNSURE}.get(meets, NEUTRAL)


def attainment_figure(table: pd.DataFrame) -> Figure:
    """Each target's attainment (%) as a bar with its interval, the requirement as a black tick; not yet due named."""
    rows = table.iloc[::-1]
    figure, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.0))
    y = np.arange(len(rows))
    value = rows["attainment_pct"].to_numpy(float)
    ax.barh(y, np.nan_to_num(value), color=[_colour(m) for m in rows["meets"].astype(str)], height=0.6)
    low, high = rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float)
    has = ~np.isnan(low)
    if has.any():
        ax.errorbar(value[has], y[has], xerr=[value[has] - low[has], high[has] - value[has]], fmt="none",
                    ecolor="#000000", capsize=2, linewidth=0.8)
    required = rows["required_pct"].to_numpy(float)
    ax.plot(required, y, "|", color="#000000", markersize=14, markeredgewidth=2, label="requirement")
    for i, (v, verdict) in enumerate(zip(value, rows["verdict"].astype(str), strict=True)):
        if np.isnan(v):
            ax.text(1, y[i], verdict or "no verdict", va="center", fontsize=8, color="#555555")
    ax.set_yticks(y, rows["rule_id"].astype(str))
    ax.set_xlim(0, 100)
    ax.set_xlabel("attainment (% of verdicts due that met the target)")
    ax.set_title("Attainment per target" + (" (bars: 95 % interval)" if has.any() else ""))
    if not np.isnan(required).all():
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    _margins(figure, left=1.2)
    return figure


def busy_figure(table: pd.DataFrame, x: str, xlabel: str, title: str) -> Figure:
    """Mean staff busy per role against ``x`` (day of the horizon or hour of day)."""
    figure, ax = plt.subplots(figsize=(7.5, 3.2))
    for role, rows in table.groupby("role", sort=False):
        if rows["busy_staff"].max() > 0:
            ax.plot(rows[x], rows["busy_staff"], label=str(role).replace("_", " "), linewidth=1.4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("staff busy (mean)")
    ax.set_title(title)
    ax.set_ylim(0, max(table["busy_staff"].max(), 0.1) * 1.45)
    ax.legend(fontsize=7, ncols=3, loc="upper right", frameon=False)
    _margins(figure, left=0.6)
    return figure


def stock_figure(table: pd.DataFrame) -> Figure:
    """Units on hand (left) and at the supplier (right) at each day's end, one line per part."""
    figure, (on_hand, at_vendor) = plt.subplots(1, 2, figsize=(7.5, 2.9), sharex=True)
    styles = ("-", "--", ":", "-.")
    for i, (sku, rows) in enumerate(table.groupby("sku", sort=True)):
        style = {"color": OKABE_ITO[i % len(OKABE_ITO)], "linestyle": styles[(i // len(OKABE_ITO)) % len(styles)],
                 "where": "post", "linewidth": 1.3}
        on_hand.step(rows["day"], rows["on_hand"], label=str(sku), **style)
        at_vendor.step(rows["day"], rows["at_vendor"], **style)
    for ax, title in ((on_hand, "On hand in the store"), (at_vendor, "At the supplier")):
        ax.set_title(title)
        ax.set_xlabel("day of the period")
        ax.set_ylabel("units")
        ax.set_ylim(bottom=0)
    on_hand.legend(fontsize=7, loc="best", title="part", title_fontsize=7)
    _margins(figure, left=0.6, wspace=0.35)
    return figure


def vendor_figure(table: pd.DataFrame) -> Figure:
    """Items still at the vendor past each milestone (3, 7, 15, 30 days)."""
    figure, ax = plt.subplots(figsize=(5.0, 2.4))
    ax.bar(table["milestone"].astype(str), table["items_past"], color=OKABE_ITO[3])
    ax.set_ylabel("items")
    ax.set_xlabel("milestone passed while still at the vendor")
    ax.set_title("Vendor ageing at the end of the period")
    _margins(figure, left=0.6)
    return figure


def difference_figure(table: pd.DataFrame) -> Figure:
    """B - A per target in percentage points with its paired 95 % interval."""
    rows = table.iloc[::-1]
    figure, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.0))
    y = np.arange(len(rows))
    diff = rows["difference"].to_numpy(float)
    colours = [{"B better": GOOD, "B worse": BAD}.get(d, NEUTRAL) for d in rows["direction"]]
    ax.errorbar(diff, y, xerr=[diff - rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float) - diff],
                fmt="none", ecolor="#555555", capsize=3)
    ax.scatter(diff, y, c=colours, zorder=3)
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_yticks(y, rows["rule_id"].astype(str))
    ax.set_xlabel("B - A attainment (percentage points, 95 % paired interval)")
    ax.set_title("Difference per target")
    _margins(figure, left=1.2)
    return figure


def sweep_figure(table: pd.DataFrame, rule: str, lever: str, others: list[str]) -> Figure:
    """One target's attainment against the lever, a line and a 95 % band per combination of the other fields."""
    rows = table[table["rule_id"] == rule]
    figure, ax = plt.subplots(figsize=(3.6, 2.6))
    groups = rows.groupby(others, sort=True) if others else [((), rows)]
    for i, (key, group) in enumerate(groups):
        group = group.sort_values(lever)
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        label = ", ".join(f"{f}={v}" for f, v in zip(others, key if isinstance(key, tuple) else (key,), strict=True))
        ax.fill_between(group[lever], group["ci_low"], group["ci_high"], color=colour, alpha=0.25, linewidth=0)
        ax.plot(group[lever], group["mean"], marker="o", markersize=3, color=colour, label=label or None)
    required = rows["required_pct"].dropna()
    if len(required):
        ax.axhline(required.iloc[0], color="#000000", linestyle="--", linewidth=1, label="requirement")
    ax.set_ylim(0, 100)
    if pd.api.types.is_integer_dtype(rows[lever]):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(lever.rsplit(".", 2)[-2] if lever.endswith(".count") else lever.rsplit(".", 1)[-1])
    ax.set_ylabel("attainment (%)")
    ax.set_title(rule, fontsize=9)
    if others or len(required):
        ax.legend(fontsize=6, loc="lower right")
    _margins(figure, left=0.6, top=0.3)
    return figure


def _as_pct(rows: pd.DataFrame, column: str) -> np.ndarray:
    """A requirement's value in %: attainment already is, a fill rate (a share) times 100."""
    scale = np.where(rows["kind"].astype(str).to_numpy() == "fill", 100.0, 1.0)
    return rows[column].to_numpy(float) * scale if column in rows else np.full(len(rows), np.nan)


def plan_requirement_figure(table: pd.DataFrame) -> Figure:
    """Each requirement at the scenario (hollow) and at the plan (filled, coloured by its status), bounds, threshold."""
    rows = table.iloc[::-1]
    figure, ax = plt.subplots(figsize=(7.5, 0.45 * len(rows) + 1.1))
    y = np.arange(len(rows), dtype=float)
    colours = {"met": GOOD, "failed": BAD, "undecided": UNSURE}
    for name, offset, filled in (("start", 0.15, False), ("plan", -0.15, True)):
        mean = _as_pct(rows, f"{name}_mean")
        if np.isnan(mean).all():
            continue
        low, high = _as_pct(rows, f"{name}_low"), _as_pct(rows, f"{name}_high")
        status = rows[f"{name}_status"].astype(str).to_numpy()
        ax.errorbar(mean, y + offset, xerr=[mean - low, high - mean], fmt="none", ecolor="#555555", capsize=2,
                    linewidth=0.8)
        colour = [colours.get(s, NEUTRAL) for s in status]
        ax.scatter(mean, y + offset, s=28, zorder=3, label="plan" if filled else "scenario",
                   c=colour if filled else "white", edgecolors=colour)
    ax.plot(_as_pct(rows, "threshold"), y, "|", color="#000000", markersize=18, markeredgewidth=2, label="threshold")
    ax.set_yticks(y, rows["requirement"].astype(str))
    ax.set_xlim(0, 102)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("attainment or fill rate (%), with the one-sided bounds")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=7, frameon=False, ncols=3)
    _margins(figure, left=1.4, top=0.35)
    return figure


def candidates_figure(table: pd.DataFrame) -> Figure:
    """Every candidate the search checked: its yearly cost against its tightest requirement's slack (points)."""
    figure, ax = plt.subplots(figsize=(5.5, 2.8))
    colours = {"feasible": GOOD, "infeasible": BAD, "undecided": UNSURE}
    for status, rows in table.groupby("status", sort=True):
        ax.scatter(rows["min_slack_points"], rows["cost_per_year"], s=22, label=str(status),
                   color=colours.get(str(status), NEUTRAL))
    ax.axvline(0, color="#000000", linewidth=0.8)
    ax.set_xlabel("tightest requirement's slack (points above its threshold)")
    ax.set_ylabel("cost per year")
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_title("Candidates the search checked")
    ax.legend(fontsize=7, frameon=False)
    _margins(figure, left=0.9)
    return figure


def queue_figure(table: pd.DataFrame, x: str, xlabel: str, title: str, labels: dict[str, str]) -> Figure:
    """Mean number waiting per queue against ``x`` (day of the period or hour of day); ``labels`` names each queue."""
    figure, ax = plt.subplots(figsize=(7.5, 3.0))
    for queue, rows in table.groupby("queue", sort=False):
        ax.plot(rows[x], rows["waiting"], label=labels.get(str(queue), str(queue)), linewidth=1.4)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("waiting (mean number)")
    ax.set_title(title)
    ax.set_ylim(0, max(float(table["waiting"].max()) if len(table) else 0.0, 0.1) * 1.45)
    ax.legend(fontsize=7, ncols=2, loc="upper right", frameon=False)
    _margins(figure, left=0.6)
    return figure

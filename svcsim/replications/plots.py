"""Figures: a metric (a target's attainment, by default) against a swept field, with confidence bands.

Drawn on a :class:`matplotlib.figure.Figure` (no pyplot, no global backend
state); save it with ``figure.savefig(path)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_attainment", "plot_metric"]


def plot_attainment(sweep, rules: Sequence[str] | None = None, field: str | None = None,  # noqa: ANN001
                    confidence: float = 0.95) -> Figure:
    """One panel per target: attainment % (mean, and a ``confidence`` band) against ``field``."""
    return plot_metric(sweep, "attainment_pct", subjects=rules, field=field, confidence=confidence)


def plot_metric(sweep, kind: str = "attainment_pct", subjects: Sequence[str] | None = None,  # noqa: ANN001
                field: str | None = None, confidence: float = 0.95) -> Figure:
    """One panel per subject of metric ``kind`` (a target, a role, a part): its mean and a ``confidence`` band.

    ``sweep`` is a :class:`~svcsim.replications.sweep.SweepResult`; ``field``
    defaults to its first swept field, and other swept fields give one line
    each. ``subjects`` defaults to every subject with a value somewhere.
    """
    from svcsim.replications.summary import KIND_UNITS

    rules = subjects
    field = field or sweep.fields[0]
    if field not in sweep.fields:
        raise ValueError(f"{field!r} is not a swept field ({', '.join(sweep.fields)})")
    summary = sweep.summary(confidence)
    table = summary[summary["kind"] == kind]
    if rules is None:
        rules = [r for r in dict.fromkeys(table["subject"]) if table.loc[table["subject"] == r, "mean"].notna().any()]
    others = [f for f in sweep.fields if f != field]
    columns = min(3, max(1, len(rules)))
    rows = max(1, math.ceil(len(rules) / columns))
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, rule in zip(axes.flat, rules, strict=False):
        part = table[table["subject"] == rule]
        groups = part.groupby(others, sort=False) if others else [((), part)]
        for key, line in groups:
            line = line.sort_values(field)
            x = line[field].to_numpy()
            label = ", ".join(f"{f}={v}" for f, v in zip(others, key if isinstance(key, tuple) else (key,), strict=True)) or None
            drawn = ax.plot(x, line["mean"].to_numpy(float), marker="o", label=label)
            ax.fill_between(x, line["ci_low"].to_numpy(float), line["ci_high"].to_numpy(float),
                            color=drawn[0].get_color(), alpha=0.2, linewidth=0)
        ax.set_title(rule)
        ax.set_xlabel(field)
        ax.set_ylabel(KIND_UNITS.get(kind, kind))
        values = sorted(set(part[field].tolist()))
        if len(values) <= 12 and all(isinstance(v, int | float | np.number) for v in values):
            ax.set_xticks(values)
        ax.grid(alpha=0.3)
        if others:
            ax.legend(fontsize="small")
    for ax in list(axes.flat)[len(rules):]:
        ax.set_visible(False)
    title = "Attainment" if kind == "attainment_pct" else KIND_UNITS.get(kind, kind)
    figure.suptitle(f"{title} with {round(100 * confidence)}% confidence bands, "
                    f"{sweep.replications} replications per point")
    return figure

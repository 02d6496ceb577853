"""Figures: a target's attainment against a swept field, with confidence bands.

Drawn on a :class:`matplotlib.figure.Figure` (no pyplot, no global backend
state); save it with ``figure.savefig(path)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_attainment"]


def plot_attainment(sweep, rules: Sequence[str] | None = None, field: str | None = None,  # noqa: ANN001
                    confidence: float = 0.95) -> Figure:
    """One panel per target: attainment % (mean, and a ``confidence`` band) against ``field``.

    ``sweep`` is a :class:`~svcsim.replications.sweep.SweepResult`; ``field``
    defaults to its first swept field, and other swept fields give one line
    each. ``rules`` defaults to every target with an attainment somewhere.
    """
    field = field or sweep.fields[0]
    if field not in sweep.fields:
        raise ValueError(f"{field!r} is not a swept field ({', '.join(sweep.fields)})")
    summary = sweep.summary(confidence)
    table = summary[summary["kind"] == "attainment_pct"]
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
        ax.set_ylabel("attainment %")
        values = sorted(set(part[field].tolist()))
        if len(values) <= 12 and all(isinstance(v, int | float | np.number) for v in values):
            ax.set_xticks(values)
        ax.grid(alpha=0.3)
        if others:
            ax.legend(fontsize="small")
    for ax in list(axes.flat)[len(rules):]:
        ax.set_visible(False)
    figure.suptitle(f"Attainment with {round(100 * confidence)}% confidence bands, "
                    f"{sweep.replications} replications per point")
    return figure

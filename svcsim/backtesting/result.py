"""What a backtest found: distances of the model and the naive baselines, and the rule-week verdicts.

:class:`Backtest` carries where it came from (the log, the split, the
template, seed, replications, warm-up) with its tables, and writes them as
``backtest.json`` and CSV files (:meth:`Backtest.tables`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from svcsim.backtesting.distances import DISTANCES
from svcsim.backtesting.split import Split

__all__ = ["Backtest"]


@dataclass(frozen=True, eq=False)
class Backtest:
    """A backtest of a fitted model on the held-out part of a log.

    ``distances``: one row per measure (``cycle_time_h``, ``circadian_events_h``,
    ``case_arrivals_h``, in hours) with the model's mean over replications and
    its range (``model_min``, ``model_max``), the replay baseline's value and
    the drawn-cycle-time baseline's mean (NaN where a baseline has nothing to
    say). ``per_replication``: each replication's distances (``source`` model
    or draw). ``weeks``: :func:`svcsim.backtesting.weekly.rule_week_table`;
    ``verdicts``: weeks inside, above and below per rule. ``notes``: what was
    carried over from the log at the split, what was not, and how cases that
    straddle the split were treated. ``fit_report``: the fitter's report.
    """

    source: str
    split: Split
    template: str
    replications: int
    seed: int
    warmup_days: int
    distances: pd.DataFrame
    per_replication: pd.DataFrame
    weeks: pd.DataFrame
    verdicts: pd.DataFrame
    notes: tuple[str, ...] = ()
    fit_report: Any = None
    scenario: Any = field(default=None, repr=False)

    def summary(self) -> dict[str, Any]:
        """The backtest as plain data: its settings, split, distances, verdict counts and notes (``backtest.json``)."""
        s = self.split
        return {
            "log": self.source,
            "template": self.template,
            "train_until": s.until.tz_convert(s.zone).isoformat(),
            "held_out_end": s.end.tz_convert(s.zone).isoformat(),
            "held_out_days": s.days,
            "arrivals_end": s.arrivals_end.tz_convert(s.zone).isoformat(),
            "arrival_days": s.arrival_days,
            "zone": s.zone,
            "train_cases": s.train_cases,
            "held_out_cases": s.held_out_cases,
            "straddling_cases": s.straddling,
            "replications": self.replications,
            "seed": self.seed,
            "warmup_days": self.warmup_days,
            "distances": _records(self.distances),
            "verdicts": _records(self.verdicts),
            "notes": list(self.notes),
            "fit_warnings": list(getattr(self.fit_report, "warnings", ()) or ()),
        }

    def tables(self) -> dict[str, Any]:
        """The files ``--out`` writes, by name: backtest.json, distances.csv, replications.csv, weeks.csv."""
        return {"backtest.json": self.summary(), "distances.csv": self.distances,
                "replications.csv": self.per_replication, "weeks.csv": self.weeks}

    def distance(self, measure: str, column: str = "model_mean") -> float:
        """One cell of :attr:`distances`: ``measure`` a key of :data:`~svcsim.backtesting.distances.DISTANCES`."""
        if measure not in DISTANCES:
            raise KeyError(f"no distance {measure!r}; expected one of {list(DISTANCES)}")
        return float(self.distances.set_index("measure").loc[measure, column])


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts, NaN as None (JSON has no NaN)."""
    out = []
    for row in frame.to_dict(orient="records"):
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else
                        v.item() if hasattr(v, "item") else v) for k, v in row.items()})
    return out

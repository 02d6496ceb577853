"""The fit report: every parameter of a fitted scenario, where it came from and what it rests on."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FitReport", "ParameterFit"]


@dataclass(frozen=True)
class ParameterFit:
    """One parameter of the fitted scenario: where it came from and what it rests on.

    ``path`` is the scenario field in ``with_changes`` spelling
    (``times.handle``, ``demand.calls_per_day.mon``, ``demand.mix.field``...).
    ``source`` is ``"log"`` or ``"template"`` (then ``note`` says why).
    """

    path: str
    estimate: Any
    interval: tuple[float, float] | None = None
    cases: int = 0
    events: int = 0
    family: str | None = None
    statistic: float | None = None
    source: str = "log"
    note: str = ""


@dataclass(frozen=True)
class FitReport:
    """Every parameter fitted or taken from the template, and the warnings of the fit."""

    parameters: tuple[ParameterFit, ...] = ()
    warnings: tuple[str, ...] = ()
    log_start: str | None = None
    log_end: str | None = None
    template: str | None = None
    cases: int = 0
    events: int = 0

    def to_json(self) -> str:
        """The report as ``fit.json`` text."""
        return json.dumps(asdict(self), indent=2, default=str)

    def table(self) -> str:
        """The printed table: one line per parameter (estimate, interval, what it rests on, source)."""
        lines = [f"{'parameter':<44} {'estimate':<34} {'interval':<21} {'cases':>6} {'family':<11} {'stat':>6}  source"]
        for p in self.parameters:
            lines.append(f"{p.path:<44} {_short(p.estimate):<34} {_interval(p.interval):<21} {p.cases:>6} "
                         f"{p.family or '':<11} {'' if p.statistic is None else f'{p.statistic:.3f}':>6}  {p.source}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, dict) and "dist" in value:
        text = value["dist"] + "(" + ", ".join(f"{k}={_num(v)}" for k, v in value.items() if k != "dist") + ")"
    elif isinstance(value, list):
        text = f"[{len(value)} values]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}" for k in value) + "}"
    else:
        text = _num(value)
    return text if len(text) <= 34 else text[:31] + "..."


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _interval(interval: Any) -> str:
    return "" if interval is None else f"{_num(float(interval[0]))} .. {_num(float(interval[1]))}"

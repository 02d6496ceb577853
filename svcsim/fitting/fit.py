"""A scenario fitted from an event log onto a template: :func:`fit`.

What the log tells replaces the template's value; everything else stays
the template's and is listed in the report as such, with why
(docs/reference/fit-log.md). The scenario is assembled with
:func:`svcsim.with_changes`, so it validates like any other, and
:meth:`Fitted.toml` writes it as a file ``svcsim run`` takes as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from svcsim.fitting.report import FitReport, ParameterFit

__all__ = ["Fitted", "FitReport", "ParameterFit", "fit"]

#: Why a parameter the log does not tell stays the template's (the default: no narrated pair or branch measures it).
TEMPLATE_REASONS: dict[str, str] = {
    "times.travel_between": "a drive from a site starts after the paperwork, which is not narrated "
                            "(from the center: fitted on each engineer's first visit of a day, when enough)",
    "times.travel": "not used when travel_between is given; a drive's start is not narrated",
    "times.paperwork": "paperwork after completed is not narrated (it ends at the engineer's next drive)",
    "times.packing": "packing ends at the courier's pickup, not at a narrated event of its own",
    "times.complaint_meeting": "the meeting's start (the whole team on duty) is not narrated",
    "times.bad_part_return": "a field engineer hands parts in on the way back, which is not narrated",
    "times.purchasing": "too rare in a log to fit (exchanged / refunded)",
    "calendar": "the calendar is the center's, not a thing a log estimates",
    "staffing.field_engineers.shift": "shift hours: the log shows when people worked, not their shifts",
}

_OTHER_PREFIXES = ("times", "probabilities")


@dataclass(frozen=True)
class Fitted:
    """The fitted scenario (runs with ``svcsim run`` as it is) and its report."""

    scenario: Any
    report: FitReport = field(default_factory=FitReport)

    def toml(self) -> str:
        """The scenario as TOML text."""
        from svcsim.planning.toml_out import scenario_toml

        return scenario_toml(self.scenario, header=f"fitted from a log; template {self.report.template or self.scenario.name}\n"
                             f"log {self.report.log_start} .. {self.report.log_end}; fit.json lists every parameter")


def fit(log: Any, template: Any = "baseline", *, mapping: str | Path | None = None,
        until: Any = None, bootstrap: int = 200, seed: int = 0, correct_bias: bool = True) -> Fitted:
    """Fit a scenario from ``log`` (an EventLog or a path; ``mapping`` for an export), on ``template``.

    ``until`` (a UTC timestamp) fits on the events before it only (the
    backtest's training part); cases open then are right-censored.
    ``bootstrap`` resamples for each duration's interval, ``seed`` theirs.
    ``correct_bias`` scales the times a wait no event shows inflates by the
    bias measured on a log the fitted scenario simulates itself
    (:mod:`svcsim.fitting.bias`).
    """
    from svcsim.fitting.arrivals import fit_arrivals
    from svcsim.fitting.durations import fit_durations, frozen_cdf
    from svcsim.fitting.observe import observe
    from svcsim.fitting.shares import fit_shares
    from svcsim.fitting.source import read_any
    from svcsim.scenario import load_scenario, with_changes

    base = template if not isinstance(template, (str, Path)) else load_scenario(template)
    obs = observe(read_any(log, mapping), until, base.timezone)
    durations = fit_durations(obs, base, bootstrap=bootstrap, seed=seed)
    repeat_cdf = None
    if durations.repairs is not None and "times.repeat_delay" in durations.changes:
        repeat_cdf = frozen_cdf(durations.fitted.get("times.repeat_delay"), [])
    arrival_changes, arrival_rows, arrival_warnings = fit_arrivals(obs, base)
    share_changes, share_rows, share_warnings = fit_shares(obs, base, repeat_cdf, durations.repairs)
    from svcsim.fitting.staffing import fit_staffing

    staff_changes, staff_rows, staff_warnings = fit_staffing(obs, base)
    changes = {**durations.changes, **arrival_changes, **_normalised(share_changes), **staff_changes}
    if "patience" in changes and base.patience is None:
        changes.pop("patience")
    rows = [*arrival_rows, *share_rows, *durations.rows, *staff_rows]
    if changes.get("demand.mix.sale") == 0 and base.probabilities.doa_unit > 0:
        changes["probabilities.doa_unit"] = 0.0   # no products sold: none can be dead at first use
        rows.append(ParameterFit("probabilities.doa_unit", 0.0, source="log",
                                 note="the log has no sale calls, so no DOA units (the scenario requires it)"))
    scenario = with_changes(base, changes)
    rows += _template_rows(base, {r.path for r in rows})
    report = FitReport(tuple(rows), tuple([*durations.warnings, *arrival_warnings, *share_warnings, *staff_warnings]),
                       obs.start.isoformat(), obs.end.isoformat(), template=base.name,
                       cases=int(obs.events["case_id"].nunique()), events=len(obs.events))
    scenario = scenario.model_copy(update={"name": f"fitted-{base.name}",
                                           "description": f"fitted from a log of {report.cases} cases on {base.name}"})
    if correct_bias:
        from svcsim.fitting.bias import corrected

        start = obs.start.tz_convert(base.timezone).normalize()
        days = max(1, math.ceil((obs.end - start) / pd.Timedelta(days=1)))
        scenario, report = corrected(scenario.model_copy(update={"start": start.date()}), report, days, seed,
                                     lambda again: fit(again, base, bootstrap=0, seed=seed, correct_bias=False))
        scenario = scenario.model_copy(update={"start": base.start})
    return Fitted(scenario, report)


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """Shares of one whole (the mix, the zones, the parts' demand) made to sum to 1 over those fitted."""
    out = dict(changes)
    for prefix in ("demand.mix.", "demand.zones."):
        keys = [k for k in out if k.startswith(prefix)]
        total = sum(out[k] for k in keys)
        if total > 0 and keys:
            for k in keys:
                out[k] = round(out[k] / total, 5)
    return out


def _template_rows(template: Any, done: set[str]) -> list[ParameterFit]:
    """Every model parameter the fit did not touch, as the template's, with why."""
    data = template.model_dump(mode="python")
    rows = []
    for prefix in _OTHER_PREFIXES:
        for key, value in data[prefix].items():
            path = f"{prefix}.{key}"
            if path == "times.travel_between" and any(d.startswith(path + ".") for d in done):
                rows += [ParameterFit(f"{path}.{a}.{b}", dist, source="template", note=TEMPLATE_REASONS[path])
                         for a, row in value.items() for b, dist in row.items() if f"{path}.{a}.{b}" not in done]
                continue
            if path in done or any(d.startswith(path + ".") for d in done):
                continue
            why = TEMPLATE_REASONS.get(path, "no narrated pair of events or branch in the log measures it")
            rows.append(ParameterFit(path, value, source="template", note=why))
    for path in ("calendar", "spares.follow_ups", "spares.dead_spare_share", "spares.vendor_pickup",
                 "staffing.supervisor", "staffing.sales_lead", "spares.purchasing"):
        node: Any = data
        for key in path.split("."):
            node = node[key]
        rows.append(ParameterFit(path, node, source="template",
                                 note=TEMPLATE_REASONS.get(path, "no narrated pair of events or branch in the log measures it")))
    for part in template.spares.parts:
        for key in ("base_stock", "unit_cost", "new_buy_lead_time"):
            rows.append(ParameterFit(f"spares.parts.{part.sku}.{key}", getattr(part, key) if key != "new_buy_lead_time"
                                     else part.new_buy_lead_time.model_dump(mode="python"), source="template",
                                     note="a stock level and a price are the plan's levers; new buys are not narrated"))
    return rows

"""The scenario's times fitted from the pairs of narrated events (:mod:`svcsim.fitting.pairs`).

Each time's observations go to :func:`svcsim.fitting.families.fit_duration`,
right-censored where the case was still open at the end. A time with too
few observations keeps the template's value, with a warning. Two are not a
plain pair: ``times.bench_repair`` (the bench engineer's
``repair_started`` -> ``repaired`` is the repair *and* the post-repair
test, so the fitted ``bench_test`` is subtracted by moments: mean and
variance, then a lognormal with those) and ``times.repeat_delay`` (from
the parent's last repair to the repeat's call).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from svcsim.fitting.families import FittedDuration, fit_duration
from svcsim.fitting.observe import Observed
from svcsim.fitting.pairs import (
    PAIRS,
    PART_TURNAROUND,
    Pair,
    Sample,
    case_mask,
    measure,
    patience_sample,
    repeat_sample,
)
from svcsim.fitting.report import ParameterFit

__all__ = ["DurationFits", "fit_durations", "MIN_OBSERVED"]

#: Fewer uncensored observations than this and a time keeps the template's value.
MIN_OBSERVED = 10


@dataclass
class DurationFits:
    """What the durations gave: scenario changes, report rows, warnings, and the fits by path."""

    changes: dict[str, Any] = field(default_factory=dict)
    rows: list[ParameterFit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fitted: dict[str, FittedDuration] = field(default_factory=dict)
    repairs: Any = None          # the repairs a repeat could follow (pairs.repeat_sample)


def fit_durations(obs: Observed, template: Any, *, bootstrap: int = 200, seed: int = 0) -> DurationFits:
    """Every time the log can tell, fitted; the others listed as the template's."""
    out = DurationFits()
    for pair in PAIRS:
        offset = 0.0
        if pair.path == "times.tech_support" and "times.handle" in out.fitted:
            offset = out.fitted["times.handle"].median
        sample = measure(obs, pair, only=case_mask(obs, pair.cases), start_offset_minutes=offset)
        if pair.path == "times.bench_repair":
            _bench_repair(out, sample, pair, template)
            continue
        _one(out, pair.path, sample, pair, template, bootstrap=bootstrap, seed=seed)
    patience = patience_sample(obs)
    _one(out, "patience", patience, Pair("patience", ("call_received",), ("call_abandoned",),
                                         note="answered callers are censored at the answer"),
         template, bootstrap=bootstrap, seed=seed)
    repeat, out.repairs = repeat_sample(obs)
    _one(out, "times.repeat_delay", repeat, Pair("times.repeat_delay", ("completed", "repaired"), ("call_received",),
                                                 note="parent's last repair -> the repeat's call (parent_id)"),
         template, bootstrap=bootstrap, seed=seed)
    from svcsim.fitting.travel import center_drives

    drive = Pair("times.travel_between.center.{zone}", ("dispatched",), ("arrived_on_site",), end_role="field_engineers",
                 note="the engineer's first visit of the day: from max(dispatched, shift start) at the center")
    for zone, sample in center_drives(obs, template).items():
        path = drive.path.format(zone=zone)
        if _template_value(template, "times.travel_between").get("center", {}).get(zone) is None:
            continue   # the template drives from the center by times.travel: not a field to write
        _one(out, path, sample, drive, template, bootstrap=bootstrap, seed=seed)
    items = case_mask(obs, PART_TURNAROUND.cases)
    part_of = _part_texts(obs)
    for part in template.spares.parts:
        path = PART_TURNAROUND.path.format(sku=part.sku)
        only = items if part_of is None else items & (part_of == part.sku)
        _one(out, path, measure(obs, PART_TURNAROUND, only=only), PART_TURNAROUND, template,
             bootstrap=bootstrap, seed=seed)
    return out


def _part_texts(obs: Observed) -> np.ndarray | None:
    """Per case code, ``str()`` of its part on the cases table ("nan": none; None: no part column)."""
    parts = obs.cases.get("part", None)
    if parts is None:
        return None
    codes, uniques = pd.factorize(parts.to_numpy(dtype=object), use_na_sentinel=True)
    texts = np.asarray([*(str(u) for u in uniques), "nan"], dtype=object)[codes]   # code -1 (missing): str(nan)
    out = np.full(len(obs.case_names), "nan", dtype=object)
    mine = obs.case_code >= 0
    out[obs.case_code[mine]] = texts[mine]
    return out


def _template_value(template: Any, path: str) -> Any:
    node: Any = template
    for key in path.split("."):
        if isinstance(node, dict):
            node = node.get(key, {})
        elif isinstance(node, list):
            node = next(p for p in node if getattr(p, "sku", None) == key)
        else:
            node = getattr(node, key)
    return node.model_dump(mode="python") if hasattr(node, "model_dump") else node


def _one(out: DurationFits, path: str, sample: Sample, pair: Pair, template: Any, *, bootstrap: int, seed: int) -> None:
    if sample.n_observed < MIN_OBSERVED:
        why = f"{sample.n_observed} uncensored observations of {' / '.join(pair.start)} -> {' / '.join(pair.stop)} (fewer than {MIN_OBSERVED})"
        _from_template(out, path, template, why, warn=True)
        return
    try:
        fitted = fit_duration(sample.values, sample.censored, bootstrap=bootstrap, seed=seed)
    except ValueError as error:  # too few observations, or none a family can take
        _from_template(out, path, template, f"not fitted: {error}", warn=True)
        return
    out.fitted[path] = fitted
    out.changes[path] = fitted.dist()
    note = f"{pair.unit}; {fitted.n_observed} observed, {fitted.n_censored} censored; median {fitted.median:.4g}"
    if pair.note:
        note += f"; {pair.note}"
    if fitted.fallback_reason:
        note += f"; {fitted.fallback_reason}"
    out.rows.append(ParameterFit(path, fitted.dist(), fitted.median_interval, sample.cases, sample.events,
                                 fitted.family, fitted.statistic, "log", note))


def _from_template(out: DurationFits, path: str, template: Any, why: str, *, warn: bool) -> None:
    if warn:
        out.warnings.append(f"{path}: {why}; the template's value is kept")
    out.rows.append(ParameterFit(path, _template_value(template, path), source="template", note=why))


def _bench_repair(out: DurationFits, sample: Sample, pair: Pair, template: Any) -> None:
    """Repair = (repair_started -> repaired) minus the post-repair test, by moments; a lognormal with them."""
    test = out.fitted.get("times.bench_test")
    values = sample.values[~sample.censored]
    if test is None or len(values) < MIN_OBSERVED:
        _from_template(out, pair.path, template, f"{len(values)} uncensored repair_started -> repaired "
                       "(or bench_test not fitted)", warn=True)
        return
    import scipy.stats

    frozen = getattr(scipy.stats, test.family)(**test.params) if test.family != "empirical" else None
    t_mean = float(frozen.mean()) if frozen is not None else test.median
    t_var = float(frozen.var()) if frozen is not None else 0.0
    mean, var = float(values.mean()) - t_mean, float(values.var(ddof=1)) - t_var
    if not (mean > 0 and var > 0):
        _from_template(out, pair.path, template, "repair time minus the test time has no positive mean and variance",
                       warn=True)
        return
    s2 = math.log1p(var / mean**2)
    dist = {"dist": "lognorm", "s": math.sqrt(s2), "scale": mean / math.exp(s2 / 2)}
    out.changes[pair.path] = dist
    out.rows.append(ParameterFit(pair.path, dist, None, sample.cases, sample.events, "lognorm", None, "log",
                                 f"minutes; {len(values)} observed (censored left out); {pair.note}"))


def frozen_cdf(fitted: FittedDuration | None, fallback: np.ndarray) -> Any:
    """The CDF of a fitted time (scipy), or the empirical CDF of ``fallback`` for the empirical family."""
    if fitted is not None and fitted.family != "empirical":
        import scipy.stats

        return getattr(scipy.stats, fitted.family)(**fitted.params).cdf
    data = np.sort(np.asarray(fallback, float))
    return lambda x: np.searchsorted(data, x, side="right") / max(len(data), 1)

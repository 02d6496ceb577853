"""Batch-fault detection: a Poisson CUSUM per production batch on the fault reports of an event log.

A pure function of the log (simulated, or a live export whose mapping names
a ``batch`` and optionally a ``model`` case attribute), like the rules. Its
steps, with the choices (``docs/explanation/batch-detection.md``):

- **Reports.** A fault report is a ticket (``case_type`` ``ticket`` or not
  given) with a ``batch`` that is not a repeat of an earlier ticket
  (``parent_id`` empty: a fix that failed is the same fault again), dated by
  its first event, counted per batch and local day up to ``as_of``.
- **Expected.** With the installed base given (``installed_base``: batch ->
  units or share), batch ``b``'s in-control expectation on day ``t`` is
  ``share_b x N_t``, ``N_t`` the day's reports of every batch: the day's
  volume, weekday and holidays come from the log itself. Without it, each
  batch's share is its share of the reports in the first ``reference_days``
  days (the batches compared with each other), and the test starts after
  that window; a batch without reports in the window is not tested.
- **Test.** A log-likelihood-ratio Poisson CUSUM (Lucas 1985) per batch,
  ``C_t = max(0, C_{t-1} + x_t ln(shift) - mu0_t (shift - 1))``, tuned to a
  fault rate ``shift`` times the expected; it flags when ``C_t`` passes the
  batch's threshold and restarts at zero. The threshold gives an in-control
  average run length of ``active days a year / false_alarms_per_year``
  (Brook & Evans's Markov chain at the batch's mean expectation per active
  day, :mod:`svcsim.metrics.cusum`): ``false_alarms_per_year`` is the false
  flags per batch-year the test is built for.
- **Evidence.** Each flag carries the reports and the expected number from the
  CUSUM's last zero to the flag, their ratio, the statistic and threshold,
  and the part most over-represented in the batch's ``part_issued`` events
  of that window against the other batches' (a lift with half-count
  smoothing).

A log that cannot be tested (no ``batch`` column, a single batch, no report)
gives a :class:`BatchCheck` whose ``reason`` says why; it is never an empty
result that looks like "no flags".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import DEFAULT_ZONE, as_of_stamp, has_values
from svcsim.metrics._rows import kpi_rows
from svcsim.metrics.cusum import cusum_arl, cusum_threshold

__all__ = ["BatchCheck", "FLAG_COLUMNS", "batch_flags", "flag_rows"]

#: Columns of :attr:`BatchCheck.flags`, in order.
FLAG_COLUMNS: tuple[str, ...] = (
    "model", "batch", "flagged_on", "window_start", "reports", "expected", "ratio", "statistic",
    "threshold", "part", "part_issues", "part_lift",
)
_DAY_NS = 86_400 * 10**9


@dataclass(frozen=True)
class BatchCheck:
    """The detector's answer: the flags, each batch's test settings, or why it could not run.

    ``flags`` has the columns of :data:`FLAG_COLUMNS` (dates are local
    dates); ``batches`` one row per batch with its ``share``, where the
    share came from (``share_from``), its ``reports``, its mean expected
    reports per active day (``expected_per_day``), its ``threshold`` (log
    likelihood units), the in-control average run length that threshold
    gives (``in_control_arl_days``, active days; at least the design's, as
    counts are whole numbers), the false flags per year it implies
    (``false_alarms_per_year``) and whether it was ``tested``; ``reason`` is ``None``
    when the detector ran, else one sentence.
    """

    flags: pd.DataFrame
    batches: pd.DataFrame
    reason: str | None
    shift: float
    false_alarms_per_year: float
    as_of: pd.Timestamp | None = None
    first_day: object = None
    days: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ran(self) -> bool:
        """Whether the test ran (``reason`` is None)."""
        return self.reason is None


def _empty_flags() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FLAG_COLUMNS})


def _cannot(reason: str, shift: float, rate: float, as_of: pd.Timestamp | None = None) -> BatchCheck:
    return BatchCheck(flags=_empty_flags(), batches=pd.DataFrame(), reason=reason, shift=shift,
                      false_alarms_per_year=rate, as_of=as_of)


def batch_flags(
    log: EventLog,
    *,
    installed_base: Mapping[str, float] | None = None,
    as_of: object = None,
    zone: str = DEFAULT_ZONE,
    shift: float = 2.0,
    false_alarms_per_year: float = 0.1,
    reference_days: int = 56,
) -> BatchCheck:
    """Flag the batches whose fault reports run above what their share of the installed base predicts.

    Parameters
    ----------
    installed_base:
        batch -> installed units (or share); default: shares estimated from
        the first ``reference_days`` days of reports.
    as_of:
        aware timestamp; reports after it are not known yet (default: the last event).
    zone:
        time zone of the days counted (default ``Asia/Shanghai``).
    shift:
        the fault-rate ratio the CUSUM is tuned to find fastest (> 1).
    false_alarms_per_year:
        false flags per batch-year the threshold is set for (> 0).
    """
    if not shift > 1:
        raise ValueError(f"shift {shift!r}; expected a fault-rate ratio > 1")
    if not false_alarms_per_year > 0:
        raise ValueError(f"false_alarms_per_year {false_alarms_per_year!r}; expected a rate > 0")
    cases = log.cases
    if not has_values(cases, "batch"):
        return _cannot("the cases have no batch attribute: map one with [case_attributes] batch = \"<column>\" "
                       "(docs/reference/mapping.md) or simulate a scenario with an [installed_base]",
                       shift, false_alarms_per_year)
    stamp = as_of_stamp(log, as_of)
    code, report, batch_names = _case_batch_codes(log)
    rows = _event_case_rows(log)
    if installed_base is not None:
        unknown = sorted(set(map(str, installed_base)) - set(batch_names))
        batch_names = batch_names + unknown
    if len(batch_names) < 2:
        return _cannot(f"the log has {len(batch_names)} batch{'es' if len(batch_names) != 1 else ''}: "
                       "a batch is tested against the others, so at least two are needed",
                       shift, false_alarms_per_year, stamp)
    batch_code, first_ns = _reports(log, code, report, rows)
    known = first_ns <= stamp.value
    batch_code, first_ns = batch_code[known], first_ns[known]
    if not len(first_ns):
        return _cannot("no fault report (a ticket with a batch, not a repeat) at or before as_of",
                       shift, false_alarms_per_year, stamp)
    local = pd.DatetimeIndex(first_ns.view("M8[ns]")).tz_localize("UTC").tz_convert(zone).tz_localize(None)
    day_ns = local.asi8 // _DAY_NS
    first_day = int(day_ns.min())
    last_day = int(pd.Timestamp(stamp).tz_convert(zone).tz_localize(None).value // _DAY_NS)
    n_days = last_day - first_day + 1
    n_batches = len(batch_names)
    counts = np.bincount(batch_code * n_days + (day_ns - first_day), minlength=n_batches * n_days)
    counts = counts.reshape(n_batches, n_days).astype(float)
    total = counts.sum(axis=0)
    share, share_from, monitor_from = _shares(counts, batch_names, installed_base, reference_days)
    expected = share[:, None] * total[None, :]
    tested = share > 0
    notes: list[str] = []
    if installed_base is None and monitor_from >= n_days:
        return _cannot(f"the log covers {n_days} days: the shares need a reference window of {reference_days} days "
                       "before the test can start (give the installed base, or a longer log)",
                       shift, false_alarms_per_year, stamp)
    monitored = slice(monitor_from, n_days)
    active = total[monitored] > 0
    active_per_year = 365.25 * float(active.mean()) if active.any() else 0.0
    arl0 = max(active_per_year / false_alarms_per_year, 2.0)
    mean_mu = expected[:, monitored][:, active].mean(axis=1) if active.any() else np.zeros(n_batches)
    log_shift = math.log(shift)
    threshold, run_length = np.full(n_batches, np.nan), np.full(n_batches, np.nan)
    for b in np.flatnonzero(tested & (mean_mu > 0)):
        h, run_length[b] = _threshold(float(f"{mean_mu[b]:.3g}"), shift, float(f"{arl0:.3g}"))
        threshold[b] = h * log_shift
    tested &= np.isfinite(threshold)
    flags = _run_cusum(counts, expected, threshold, tested, monitor_from, log_shift, shift)
    model_of = _models(cases, code, batch_names)
    table = _flag_table(flags, batch_names, model_of, first_day, log, threshold, zone, code, rows)
    batches = pd.DataFrame({
        "model": [model_of.get(b) for b in batch_names],
        "batch": batch_names,
        "share": share,
        "share_from": share_from,
        "reports": counts.sum(axis=1).astype(np.int64),
        "expected_per_day": mean_mu,
        "threshold": threshold,
        "in_control_arl_days": run_length,
        "false_alarms_per_year": active_per_year / run_length,
        "tested": tested,
    })
    if installed_base is None:
        notes.append(f"shares from the reports of the first {reference_days} days; tested from then on")
    return BatchCheck(flags=table, batches=batches, reason=None, shift=shift,
                      false_alarms_per_year=false_alarms_per_year, as_of=stamp,
                      first_day=pd.Timestamp(first_day * _DAY_NS).date(), days=n_days, notes=notes)


@functools.lru_cache(maxsize=4096)
def _threshold(mu0: float, shift: float, arl0: float) -> tuple[float, float]:
    """The count-unit threshold and its in-control ARL, once per (mean to 3 digits, shift, ARL to 3 digits).

    A pure function, so cached: the counts are whole numbers, so the ARL
    moves in steps and the one reached is at least ``arl0``.
    """
    h = cusum_threshold(mu0, shift, arl0)
    return h, cusum_arl(mu0, shift, h)


def _categories(column: pd.Series) -> list[str]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [str(c) for c in column.cat.categories]
    return sorted({str(v) for v in pd.unique(column.dropna())})


def _case_batch_codes(log: EventLog) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per row of the cases table: its batch code (-1 none) and whether it is a fault report."""
    cases = log.cases
    names = _categories(cases["batch"])
    column = cases["batch"]
    if isinstance(column.dtype, pd.CategoricalDtype) and [str(c) for c in column.cat.categories] == names:
        code = column.cat.codes.to_numpy().astype(np.int64)
    else:
        code = pd.Categorical(column.astype(object).where(column.notna(), None).map(
            lambda v: None if v is None else str(v)), categories=names).codes.astype(np.int64)
    ticket = np.ones(len(cases), dtype=bool)
    if has_values(cases, "case_type"):
        ticket = (cases["case_type"].astype(object) != "item").to_numpy()
    first_report = cases["parent_id"].isna().to_numpy() if "parent_id" in cases.columns else np.ones(len(cases), bool)
    return code, ticket & first_report & (code >= 0), names


def _event_case_rows(log: EventLog) -> np.ndarray:
    """Per event: the row of its case in the cases table (-1 when the cases table lacks it)."""
    events, cases = log.events, log.cases
    case = events["case_id"]
    column = cases["case_id"]
    ids = pd.Index(column if column.dtype == object else column.astype(str))
    if isinstance(case.dtype, pd.CategoricalDtype):
        categories = case.cat.categories
        per_category = ids.get_indexer(categories if categories.dtype == object else categories.astype(str))
        codes = case.cat.codes.to_numpy()
        return np.where(codes >= 0, per_category[codes], -1)
    return ids.get_indexer(case.astype(str))


def _reports(log: EventLog, code: np.ndarray, report: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batch code and first event time (ns, UTC) of every fault report (``report``: per case row)."""
    keep = rows >= 0
    keep[keep] = report[rows[keep]]
    first = np.full(len(code), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, rows[keep], log.events["timestamp"].array.asi8[keep])
    seen = np.flatnonzero(first != np.iinfo(np.int64).max)
    return code[seen], first[seen]


def _shares(counts: np.ndarray, names: list[str], installed_base: Mapping[str, float] | None,
            reference_days: int) -> tuple[np.ndarray, list[str], int]:
    """Each batch's share, where it came from, and the first day the test runs."""
    if installed_base is not None:
        sizes = np.array([float(installed_base.get(b, 0.0)) for b in names])
        if (sizes < 0).any() or sizes.sum() <= 0:
            raise ValueError("installed_base: expected units or shares >= 0, not all zero")
        return sizes / sizes.sum(), ["installed base"] * len(names), 0
    window = counts[:, :reference_days].sum(axis=1)
    share = window / window.sum() if window.sum() > 0 else np.zeros(len(names))
    return share, [f"first {reference_days} days"] * len(names), reference_days


def _run_cusum(counts: np.ndarray, expected: np.ndarray, threshold: np.ndarray, tested: np.ndarray,
               start: int, log_shift: float, shift: float) -> list[tuple[int, int, int, float, float, float]]:
    """The CUSUM of every batch at once, day by day: ``(batch, flag day, window start, reports, expected, C)``."""
    n_batches, n_days = counts.shape
    stat = np.zeros(n_batches)
    since = np.full(n_batches, start)
    got = np.zeros(n_batches)
    want = np.zeros(n_batches)
    limit = np.where(tested, threshold, np.inf)
    flags = []
    increments = counts * log_shift - expected * (shift - 1.0)
    for day in range(start, n_days):
        stat += increments[:, day]
        got += counts[:, day]
        want += expected[:, day]
        zero = stat <= 0
        if zero.any():
            stat[zero] = 0.0
            since[zero] = day + 1
            got[zero] = 0.0
            want[zero] = 0.0
        over = stat > limit
        if over.any():
            for b in np.flatnonzero(over):
                flags.append((int(b), day, int(since[b]), float(got[b]), float(want[b]), float(stat[b])))
            stat[over], since[over], got[over], want[over] = 0.0, day + 1, 0.0, 0.0
    return flags


def _models(cases: pd.DataFrame, code: np.ndarray, names: list[str]) -> dict[str, object]:
    """Each batch's product model (the one on its first case; none without a ``model`` column)."""
    if not has_values(cases, "model"):
        return {}
    model = cases["model"].to_numpy()
    found, first = np.unique(code, return_index=True)
    return {names[c]: (None if pd.isna(model[i]) else str(model[i])) for c, i in zip(found, first, strict=True) if c >= 0}


def _flag_table(flags: list, names: list[str], model_of: dict[str, object], first_day: int, log: EventLog,
                threshold: np.ndarray, zone: str, code: np.ndarray, event_rows: np.ndarray) -> pd.DataFrame:
    if not flags:
        return _empty_flags()
    rows = []
    issues = _part_issues(log, zone, first_day, code, event_rows)
    for b, day, since, got, want, stat in flags:
        part, n_part, lift = _part_involved(issues, b, since, day)
        rows.append({
            "model": model_of.get(names[b]), "batch": names[b],
            "flagged_on": pd.Timestamp((first_day + day) * _DAY_NS).date(),
            "window_start": pd.Timestamp((first_day + min(since, day)) * _DAY_NS).date(),
            "reports": int(got), "expected": want, "ratio": got / want if want > 0 else math.inf,
            "statistic": stat, "threshold": float(threshold[b]), "part": part, "part_issues": n_part, "part_lift": lift,
        })
    return pd.DataFrame(rows, columns=list(FLAG_COLUMNS))


def _part_issues(log: EventLog, zone: str, first_day: int, code: np.ndarray,
                 event_rows: np.ndarray) -> pd.DataFrame | None:
    """The ``part_issued`` events on cases with a batch: batch code, local day (from ``first_day``), part."""
    events = log.events
    if "part" not in events.columns or not has_values(events, "part"):
        return None
    issued = (events["activity"] == "part_issued").to_numpy() & events["part"].notna().to_numpy()
    if not issued.any():
        return None
    row = event_rows[issued]
    batch = np.where(row >= 0, code[np.maximum(row, 0)], -1)
    ts = events["timestamp"].array.asi8[issued]
    local = pd.DatetimeIndex(ts.view("M8[ns]")).tz_localize("UTC").tz_convert(zone).tz_localize(None)
    return pd.DataFrame({"batch": batch, "day": local.asi8 // _DAY_NS - first_day,
                         "part": events["part"].to_numpy()[issued].astype(str)})


def _part_involved(issues: pd.DataFrame | None, batch: int, since: int, day: int) -> tuple[object, int, float]:
    """The part most over-represented in ``batch``'s issues from day ``since`` to ``day``, against the other batches."""
    if issues is None:
        return None, 0, math.nan
    window = issues[(issues["day"] >= min(since, day)) & (issues["day"] <= day) & (issues["batch"] >= 0)]
    mine = window[window["batch"] == batch]
    if mine.empty:
        return None, 0, math.nan
    parts = sorted(set(window["part"]))
    here = mine["part"].value_counts().reindex(parts, fill_value=0).to_numpy(dtype=float)
    there = window.loc[window["batch"] != batch, "part"].value_counts().reindex(parts, fill_value=0).to_numpy(dtype=float)
    lift = ((here + 0.5) / (here.sum() + 0.5 * len(parts))) / ((there + 0.5) / (there.sum() + 0.5 * len(parts)))
    best = int(np.argmax(np.where(here > 0, lift, -np.inf)))
    return parts[best], int(here[best]), float(lift[best])


def flag_rows(log: EventLog, as_of: pd.Timestamp, codes: np.ndarray, zone: str,
              installed_base: Mapping[str, float] | None) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of the monthly KPI ``batch_flags``: per month, the flags raised in it, each described in the note.

    A note reads ``"A-4 (model A) on 2025-03-31: 32 reports, 15.5 expected,
    part LCD-15"``; flags are separated by ``"; "``. ``flag`` is true in a
    month with a flag. Skipped, with the detector's reason, when it cannot run.
    """
    check = batch_flags(log, installed_base=installed_base, as_of=as_of, zone=zone)
    if not check.ran:
        return [], {"batch_flags": check.reason or "the detector did not run"}
    flags = check.flags
    month = np.array([d.year * 12 + d.month - 1 for d in flags["flagged_on"]], dtype=np.int64)
    value, notes = [], []
    for code in codes.tolist():
        mine = flags[month == code]
        value.append(len(mine))
        notes.append("; ".join(
            f"{r.batch}{'' if r.model is None else f' (model {r.model})'} on {r.flagged_on}: {r.reports} reports, "
            f"{r.expected:.1f} expected{'' if r.part is None else f', part {r.part}'}"
            for r in mine.itertuples()) or None)
    counts = np.asarray(value, dtype=float)
    return [kpi_rows("batch_flags", codes, unit="count", value=counts, numerator=counts, flag=counts > 0,
                     note=np.asarray(notes, dtype=object))], {}

"""Spare-part usage: abnormal usage against an expected rate, and slow-moving stock.

Both read the ``part_issued`` events and their ``part`` (SKU). Usage in a
month is the number of ``part_issued`` events of the SKU in that local
calendar month. The SKUs considered are those the log knows (the categories
or values of the events' ``part`` column and of the cases' ``part`` column)
plus those of an optional catalogue, so a SKU never issued still shows up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import Window, local_month_codes, missing
from svcsim.metrics._rows import kpi_rows

__all__ = ["USAGE_NEEDS", "known_skus", "part_usage", "slow_moving_stock", "poisson_two_sided"]

USAGE_NEEDS = {"activities": ("part_issued",), "event_columns": ("part",)}


def known_skus(log: EventLog, extra: Iterable[str] = ()) -> list[str]:
    """Every SKU the log knows (event and case ``part`` columns, categories included) and ``extra``, sorted."""
    found: set[str] = {str(s) for s in extra}
    for frame in (log.events, log.cases):
        if "part" not in frame.columns:
            continue
        col = frame["part"]
        values = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else pd.unique(col.dropna())
        found |= {str(v) for v in values if v is not None and not pd.isna(v)}
    return sorted(found)


def _issues(events: pd.DataFrame) -> pd.DataFrame:
    issued = events.loc[(events["activity"] == "part_issued").to_numpy() & events["part"].notna().to_numpy(), ["timestamp", "part"]]
    return issued.assign(part=issued["part"].astype(str))


def poisson_two_sided(k: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Two-sided Poisson tail probability of ``k`` events when ``mu`` are expected: 2 x the smaller tail, at most 1.

    With ``mu = 0`` any usage is impossible (p = 0) and none is certain (p = 1).
    """
    k, mu = np.asarray(k, dtype=float), np.asarray(mu, dtype=float)
    from scipy.stats import poisson  # on first use: scipy.stats takes about a second to import

    upper = poisson.sf(k - 1, mu)  # P(X >= k)
    lower = poisson.cdf(k, mu)  # P(X <= k)
    p = np.minimum(1.0, 2.0 * np.minimum(upper, lower))
    zero = mu == 0
    p = np.where(zero, np.where(k > 0, 0.0, 1.0), p)
    return np.where(np.isnan(mu), np.nan, p)


def part_usage(
    log: EventLog, events: pd.DataFrame, table: pd.DataFrame, zone: str, *,
    expected_usage: Mapping[str, float] | pd.Series | None, alpha: float, skus: list[str],
) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``part_usage``: per month and SKU, issues against the expected number, with a Poisson p-value.

    The expected number in a month is ``expected_usage[sku]`` (issues per full
    calendar month) times the observed share of the month; for a SKU without
    a given rate, the SKU's issues per observed day in the other months times
    the month's observed days (leave-one-out). Flagged when ``p < alpha``.
    """
    why = missing(log, **USAGE_NEEDS)
    if why:
        return [], {"part_usage": why}
    issued = _issues(events)
    codes = local_month_codes(issued["timestamp"], zone)
    months = table["code"].to_numpy()
    days = table["observed_days"].to_numpy()
    month_len = ((table["month_end"] - table["month_start"]) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    given = {} if expected_usage is None else {str(k): float(v) for k, v in dict(expected_usage).items()}
    out = []
    all_codes = np.arange(int(months.min()), int(months.max()) + 1) if len(months) else months
    for sku in skus:
        mine = codes[(issued["part"] == sku).to_numpy()]
        k = np.array([(mine == m).sum() for m in months], dtype=float)
        if sku in given:
            mu = given[sku] * days / month_len
            note = "expected rate given"
        else:
            in_range = np.isin(mine, all_codes)
            total_k = float(in_range.sum()) if months.size else 0.0
            total_days = float(days.sum())
            other_days = total_days - days
            with np.errstate(invalid="ignore", divide="ignore"):
                mu = np.where(other_days > 0, (total_k - k) / np.where(other_days > 0, other_days, 1) * days, np.nan)
            note = "expected: mean of the other months"
        p = poisson_two_sided(k, mu)
        flag = pd.array(np.where(np.isnan(p), pd.NA, p < alpha), dtype="boolean")
        notes = np.array(
            ["no other month to compare" if np.isnan(m_) else (("high " if kk > m_ else "low ") + note if f is True else note)
             for kk, m_, f in zip(k, mu, flag.astype(object), strict=True)], dtype=object)
        out.append(kpi_rows("part_usage", months, unit="parts", value=k, numerator=k, expected=mu, p_value=p,
                            flag=flag, note=notes, part=np.full(len(months), sku, dtype=object)))
    return out, {}


def slow_moving_stock(
    log: EventLog, events: pd.DataFrame, table: pd.DataFrame, window: Window, *, slow_days: float, skus: list[str],
) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``slow_moving_stock`` (per SKU: days since its last issue at the month's end) and ``slow_moving_skus``.

    At each month's end (or ``as_of`` for the last, partial month) a SKU is
    slow-moving when its last issue is more than ``slow_days`` days before.
    A SKU with no issue since the log starts is slow-moving only if the log
    covers more than ``slow_days`` days by then; otherwise the flag is unknown.
    """
    why = missing(log, **USAGE_NEEDS)
    if why:
        return [], {"slow_moving_stock": why, "slow_moving_skus": why}
    issued = _issues(events)
    months = table["code"].to_numpy()
    ends = np.minimum(table["month_end"].dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64), window.as_of.value)
    start_ns = window.start.value
    day = 86_400e9
    out = []
    slow_count = np.zeros(len(months))
    unknown_count = np.zeros(len(months))
    for sku in skus:
        t = np.sort(issued.loc[(issued["part"] == sku).to_numpy(), "timestamp"].to_numpy(dtype="datetime64[ns]").view(np.int64))
        idx = np.searchsorted(t, ends, side="right")
        ever = idx > 0
        last = np.where(ever, t[np.maximum(idx - 1, 0)] if len(t) else 0, start_ns)
        since = (ends - last) / day
        slow = since > slow_days
        flag = pd.array(np.where(ever | slow, slow, pd.NA), dtype="boolean")
        notes = np.where(ever, None, np.where(slow, "no issue since the log starts", f"no issue yet; the log covers {slow_days:g} days or less"))
        slow_count += np.asarray(flag.fillna(False), dtype=bool)
        unknown_count += np.asarray(flag.isna(), dtype=bool)
        out.append(kpi_rows("slow_moving_stock", months, unit="days", value=since, flag=flag, note=notes.astype(object),
                            part=np.full(len(months), sku, dtype=object)))
    n = np.full(len(months), float(len(skus)))
    notes = np.array([f"{int(u)} SKU(s) undetermined" if u else None for u in unknown_count], dtype=object)
    out.append(kpi_rows("slow_moving_skus", months, unit="SKUs", value=slow_count, numerator=slow_count, denominator=n,
                        flag=slow_count > 0, note=notes))
    return out, {}

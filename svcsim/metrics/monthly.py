"""The supervisor's monthly KPIs, as one tidy table computed from an event log only.

One row per local calendar month x KPI (x part where it applies). The KPIs
(exact definitions in ``docs/reference/metrics.md``):

- ``returns`` and ``returns_defective``, ``returns_dead_spare``,
  ``returns_customer_unit``, ``returns_doa``: items entering the vendor loop
  (first ``item_received``), split by ``item_kind``;
  ``bench_units_received``: ``unit_received`` events;
- ``repair_success_rate``: fixes that held / fixes decided, from the rule
  engine's ``software-72h`` and ``hardware-7d`` verdicts; ``repairs_pending``:
  fixes whose window is still open at ``as_of``;
- ``doa_rate``: DOA units (new products dead at first use) per product sold,
  by the month of the sale; ``dead_spare_rate``: the share of the month's
  issued parts that proved dead when fitted (overall and per part);
- ``part_usage``: issues per SKU against an expected number, Poisson p-value;
- ``slow_moving_stock`` (per SKU) and ``slow_moving_skus`` (count): no issue
  in the last ``slow_days`` days at the month's end;
- ``batch_flags``: the batch-fault flags raised in the month
  (:func:`svcsim.metrics.batches.batch_flags`), listed in the note.

A KPI whose columns or activities the log lacks is left out and listed, with
the reason, in ``frame.attrs["skipped"]`` (and by :func:`kpi_availability`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import DEFAULT_ZONE, Window, as_of_stamp, events_until, month_table
from svcsim.metrics._rows import KPI_COLUMNS
from svcsim.metrics.batches import flag_rows
from svcsim.metrics.repairs import repair_success
from svcsim.metrics.returns import dead_spare_rate, doa_rate, return_volume
from svcsim.metrics.usage import known_skus, part_usage, slow_moving_stock
from svcsim.rules.engine import CheckResult
from svcsim.rules.load import RuleSet

__all__ = ["KPIS", "KPI_COLUMNS", "kpi_availability", "monthly_kpis"]

#: Every monthly KPI id with a one-line meaning, in display order.
KPIS: dict[str, str] = {
    "returns": "items entering the vendor loop (first item_received)",
    "returns_defective": "of which defective parts (item_kind 'defective')",
    "returns_dead_spare": "of which spares that proved dead when fitted (item_kind 'dead_spare')",
    "returns_customer_unit": "of which customers' units sent to the supplier (item_kind 'customer_unit')",
    "returns_doa": "of which DOA units, new products dead at first use (item_kind 'doa_unit')",
    "bench_units_received": "carried-in and mailed-in units received (unit_received)",
    "repair_success_rate": "fixes that held / fixes decided, field and bench (rules software-72h, hardware-7d)",
    "repairs_pending": "fixes whose recurrence window is still open at as_of",
    "repair_success_field": "of which field fixes (cases with no unit_received)",
    "repair_success_bench": "of which bench fixes (cases whose unit was received at a repair point)",
    "doa_rate": "DOA units per product sold, by the month of the sale (the document's DOA rate)",
    "dead_spare_rate": "share of the parts issued in the month that proved dead when fitted",
    "part_usage": "parts issued per SKU against the expected number (Poisson p-value)",
    "slow_moving_stock": "per SKU: days since its last issue at the month's end",
    "slow_moving_skus": "SKUs with no issue in the last slow_days days",
    "batch_flags": "production batches flagged for too many fault reports (Poisson CUSUM), listed in the note",
}


def monthly_kpis(
    log: EventLog,
    *,
    as_of: object = None,
    months: Iterable[object] | None = None,
    expected_usage: Mapping[str, float] | pd.Series | None = None,
    slow_days: float = 90,
    rules: RuleSet | str | Path | None = None,
    zone: str = DEFAULT_ZONE,
    usage_alpha: float = 0.01,
    catalogue: Iterable[str] | None = None,
    result: CheckResult | None = None,
    installed_base: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The supervisor's monthly KPIs of ``log`` as of ``as_of`` (aware; default: the last event).

    Parameters
    ----------
    months:
        keep only these months ("YYYY-MM" or ``pd.Period``); default every
        month from the first event's to ``as_of``'s.
    expected_usage:
        expected issues per full calendar month, by SKU; SKUs not in it are
        compared with their own mean of the other months.
    slow_days:
        a SKU with no issue in this many days at a month's end is slow-moving.
    rules:
        rules file or RuleSet holding the fix rules, the recurrence rules
        after ``completed`` such as ``software-72h`` and ``hardware-7d``
        (default: the built-in rules, or ``result.rules``).
    zone:
        time zone of the calendar months (default ``Asia/Shanghai``).
    usage_alpha:
        flag a month's usage when its two-sided Poisson p-value is below this.
    catalogue:
        SKUs to consider besides those the log knows (e.g. a catalogue's
        ``sku`` column), so a part never issued is seen as slow-moving.
    result:
        :func:`svcsim.check` of the same ``log`` and ``rules``: its fix
        verdicts are used instead of judging the log again; ``as_of`` then
        defaults to ``result.as_of``.
    installed_base:
        batch -> installed units (or share) for the batch-fault flags
        (default: shares from the log's first weeks, see
        :func:`svcsim.metrics.batches.batch_flags`).

    Returns
    -------
    DataFrame with the columns of ``KPI_COLUMNS``; ``partial`` marks a month
    the log does not cover entirely; ``attrs["skipped"]`` maps each KPI left
    out to the reason.
    """
    if result is not None and as_of is None:
        as_of = result.as_of
    stamp = as_of_stamp(log, as_of)
    events = events_until(log, stamp)
    skipped: dict[str, str] = {}
    if events.empty:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in KPI_COLUMNS})
        frame.attrs["skipped"] = {k: "no events at or before as_of" for k in KPIS}
        return frame
    window = Window(start=events["timestamp"].min(), as_of=stamp, zone=zone)
    table = month_table(window, months)
    codes = table["code"].to_numpy()
    parts: list[pd.DataFrame] = []

    rows, skips = return_volume(log, events, codes, zone)
    parts += rows
    skipped |= skips
    rows, skips, _ = repair_success(log, stamp, codes, zone, rules, result=result)
    parts += rows
    skipped |= skips
    rows, skips = doa_rate(log, events, codes, zone)
    parts += rows
    skipped |= skips
    rows, skips = dead_spare_rate(log, events, codes, zone)
    parts += rows
    skipped |= skips
    skus = known_skus(log, catalogue or ())
    rows, skips = part_usage(log, events, table, zone, expected_usage=expected_usage, alpha=usage_alpha, skus=skus)
    parts += rows
    skipped |= skips
    rows, skips = slow_moving_stock(log, events, table, window, slow_days=slow_days, skus=skus)
    parts += rows
    skipped |= skips
    rows, skips = flag_rows(log, stamp, codes, zone, installed_base)
    parts += rows
    skipped |= skips

    if parts:
        body = pd.concat(parts, ignore_index=True)
    else:
        body = pd.DataFrame(columns=["code", *KPI_COLUMNS[5:]])
    order = {k: i for i, k in enumerate(KPIS)}
    body["_k"] = body["kpi"].map(order)
    body["_p"] = body["part"].isna().map({True: 0, False: 1})
    body = body.sort_values(["code", "_k", "_p", "part"], kind="stable", na_position="first")
    frame = table.merge(body, on="code", how="inner", validate="one_to_many").drop(columns=["code", "_k", "_p"])
    frame = frame[list(KPI_COLUMNS)].reset_index(drop=True)
    frame["flag"] = frame["flag"].astype("boolean")
    frame["note"] = frame["note"].astype(object).where(frame["note"].notna(), None)
    frame.attrs["skipped"] = {k: skipped[k] for k in KPIS if k in skipped}
    frame.attrs["as_of"] = stamp
    frame.attrs["zone"] = zone
    return frame


def kpi_availability(log: EventLog, *, rules: RuleSet | str | Path | None = None,
                     result: CheckResult | None = None) -> pd.DataFrame:
    """Per KPI: whether the log has what it needs, and if not, why (one row per KPI of ``KPIS``).

    ``result``: :func:`svcsim.check` of the same ``log`` and ``rules``, read instead of judging again.
    """
    skipped = monthly_kpis(log, rules=rules, result=result).attrs.get("skipped", {})
    return pd.DataFrame(
        {
            "kpi": list(KPIS),
            "meaning": list(KPIS.values()),
            "available": [k not in skipped for k in KPIS],
            "reason": [skipped.get(k) for k in KPIS],
        }
    )

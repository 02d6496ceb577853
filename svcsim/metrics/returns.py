"""Returns for repair, the DOA rate and the dead-spare rate: counts of item cases by month.

An item (a defective part, a spare that proved dead when fitted, a
customer's unit for the supplier, a DOA unit) enters the vendor loop when
it is received (``item_received``); it is counted once, in the local
calendar month of its first ``item_received``, and by its ``item_kind``.
Bench units are counted by their ``unit_received`` events.

The **DOA rate** is the source document's: DOA units (new products dead at
first use, ``item_kind = "doa_unit"``) per product sold (a case of ``kind``
``sale``), each DOA unit counted in the month of its sale (its
``parent_id``; the month it came back when the log does not say). The
**dead-spare rate** is the store's: spares that proved dead when fitted
(``item_kind = "dead_spare"``) per part issued.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import case_attribute, has_values, local_month_codes, missing
from svcsim.metrics._rows import counts_by_month, kpi_rows

__all__ = ["received_items", "return_volume", "doa_rate", "dead_spare_rate", "doa_issue_months", "RETURNS_NEEDS",
           "DOA_NEEDS", "DEAD_SPARE_NEEDS", "RETURN_KINDS"]

RETURNS_NEEDS = {"activities": ("item_received",)}
DOA_NEEDS = {"activities": ("item_received",), "attributes": ("item_kind", "kind")}
DEAD_SPARE_NEEDS = {"activities": ("item_received", "part_issued"), "attributes": ("item_kind",)}
#: The returns KPI of each item kind.
RETURN_KINDS: dict[str, str] = {"defective": "returns_defective", "dead_spare": "returns_dead_spare",
                                "customer_unit": "returns_customer_unit", "doa_unit": "returns_doa"}


def received_items(log: EventLog, events: pd.DataFrame, zone: str) -> pd.DataFrame:
    """One row per item case received by ``as_of``: case_id, month code, item_kind and part (when known).

    Only cases of type ``item`` count when the log has a ``case_type`` column.
    """
    rec = events.loc[events["activity"] == "item_received", ["case_id", "timestamp"]]
    rec = rec.assign(case_id=rec["case_id"].astype(str)).sort_values("timestamp", kind="stable")
    rec = rec.drop_duplicates("case_id", keep="first")
    cases = log.cases.assign(case_id=log.cases["case_id"].astype(str)).set_index("case_id")
    if has_values(cases, "case_type"):
        kind = cases["case_type"].reindex(rec["case_id"]).astype(object).to_numpy()
        rec = rec.loc[kind == "item"]
    out = pd.DataFrame({"case_id": rec["case_id"].to_numpy(), "code": local_month_codes(rec["timestamp"], zone)})
    for column in ("item_kind", "part"):
        attr = case_attribute(log, column)
        out[column] = attr.reindex(out["case_id"]).to_numpy() if attr is not None else np.full(len(out), None, dtype=object)
    return out


def return_volume(log: EventLog, events: pd.DataFrame, months: np.ndarray, zone: str) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``returns`` (and one per item kind, :data:`RETURN_KINDS`) and ``bench_units_received``; skips with reasons."""
    out: list[pd.DataFrame] = []
    skipped: dict[str, str] = {}
    why = missing(log, **RETURNS_NEEDS)
    if why:
        for kpi in ("returns", *RETURN_KINDS.values()):
            skipped[kpi] = why
    else:
        items = received_items(log, events, zone)
        total = counts_by_month(items["code"].to_numpy(), months)
        out.append(kpi_rows("returns", months, unit="items", value=total, numerator=total))
        why_kind = missing(log, attributes=("item_kind",))
        if why_kind:
            for kpi in RETURN_KINDS.values():
                skipped[kpi] = why_kind
        else:
            kinds = items["item_kind"].astype(object)
            for kind, kpi in RETURN_KINDS.items():
                n = counts_by_month(items.loc[(kinds == kind).to_numpy(), "code"].to_numpy(), months)
                out.append(kpi_rows(kpi, months, unit="items", value=n, numerator=n, denominator=total))
            other = int((~kinds.isin(list(RETURN_KINDS))).sum())
            if other:
                out[-1]["note"] = f"{other} item(s) of another or no kind counted in returns only"
    why_bench = missing(log, activities=("unit_received",))
    if why_bench:
        skipped["bench_units_received"] = why_bench
    else:
        codes = local_month_codes(events.loc[events["activity"] == "unit_received", "timestamp"], zone)
        n = counts_by_month(codes, months)
        out.append(kpi_rows("bench_units_received", months, unit="units", value=n, numerator=n))
    return out, skipped


def doa_rate(log: EventLog, events: pd.DataFrame, months: np.ndarray, zone: str) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``doa_rate``: of the products sold in the month, the share that came back dead at first use.

    A sale is a case of ``kind`` ``sale``, in the month of its first event; a
    DOA unit (``item_kind = "doa_unit"``) counts in its sale's month (by
    ``parent_id``), else in the month it was received.
    """
    why = missing(log, **DOA_NEEDS)
    if why:
        return [], {"doa_rate": why}
    kind = case_attribute(log, "kind")
    first = events.sort_values("timestamp", kind="stable").assign(case_id=lambda e: e["case_id"].astype(str))
    first = first.drop_duplicates("case_id", keep="first").set_index("case_id")["timestamp"]
    sale_ids = kind.index[(kind.astype(object) == "sale").to_numpy()]
    sale_codes = pd.Series(local_month_codes(first.reindex(sale_ids), zone), index=sale_ids)
    items = received_items(log, events, zone)
    doa = items.loc[(items["item_kind"].astype(object) == "doa_unit").to_numpy()]
    codes = doa["code"].to_numpy(copy=True)
    parent = case_attribute(log, "parent_id")
    if parent is not None and len(doa):
        sale_month = sale_codes.reindex(parent.reindex(doa["case_id"]).astype(object).astype(str)).to_numpy()
        known = ~pd.isna(sale_month)
        codes[known] = sale_month[known].astype(np.int64)
    num = counts_by_month(codes, months)
    den = counts_by_month(sale_codes.to_numpy(dtype=np.int64), months)
    return [kpi_rows("doa_rate", months, unit="share", value=_ratio(num, den), numerator=num, denominator=den)], {}


def dead_spare_rate(log: EventLog, events: pd.DataFrame, months: np.ndarray,
                    zone: str) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``dead_spare_rate``: of the parts issued in the month, the share that proved dead when fitted.

    Overall and per part. A dead spare counts in the month its unit was
    issued (:func:`doa_issue_months`), so the rate is a share of that
    month's issues and never exceeds 1; an item whose issue the log cannot
    show counts in the month it was received.
    """
    why = missing(log, **DEAD_SPARE_NEEDS)
    if why:
        return [], {"dead_spare_rate": why}
    items = received_items(log, events, zone)
    doa = items.loc[(items["item_kind"].astype(object) == "dead_spare").to_numpy()]
    issued = events.loc[events["activity"] == "part_issued"]
    issued_codes = local_month_codes(issued["timestamp"], zone)
    doa_codes = doa_issue_months(log, doa, issued, issued_codes)
    num = counts_by_month(doa_codes, months)
    den = counts_by_month(issued_codes, months)
    out = [kpi_rows("dead_spare_rate", months, unit="share", value=_ratio(num, den), numerator=num, denominator=den)]
    if has_values(events, "part") and case_attribute(log, "part") is not None:
        issued_part = issued["part"].astype(object).to_numpy()
        skus = sorted({str(p) for p in issued_part if p is not None and not pd.isna(p)} | {str(p) for p in doa["part"] if p is not None and not pd.isna(p)})
        for sku in skus:
            n = counts_by_month(doa_codes[(doa["part"].astype(object) == sku).to_numpy()], months)
            d = counts_by_month(issued_codes[issued_part == sku], months)
            out.append(kpi_rows("dead_spare_rate", months, unit="share", value=_ratio(n, d), numerator=n, denominator=d,
                                part=np.full(len(months), sku, dtype=object)))
    return out, {}


def doa_issue_months(log: EventLog, doa: pd.DataFrame, issued: pd.DataFrame, issued_codes: np.ndarray) -> np.ndarray:
    """The month code of the issue each dead spare came from (its received month when the log cannot say).

    A dead spare's ``parent_id`` is the job the unit was issued to: the k-th dead
    spare of a part on a job (in order of receipt) is the k-th ``part_issued``
    of that part on that job. Without ``parent_id``, or with no such issue in
    the log, the item keeps the month it was received in.
    """
    codes = doa["code"].to_numpy(copy=True)
    parent = case_attribute(log, "parent_id")
    if parent is None or not len(doa) or "part" not in issued.columns:
        return codes
    wanted = pd.DataFrame({
        "job": parent.reindex(doa["case_id"]).astype(object).to_numpy(),
        "part": doa["part"].astype(object).to_numpy(),
        "row": np.arange(len(doa)),
    }).dropna(subset=["job", "part"])
    wanted = wanted.assign(job=wanted["job"].astype(str), part=wanted["part"].astype(str))
    wanted["k"] = wanted.groupby(["job", "part"]).cumcount()
    issues = pd.DataFrame({
        "job": issued["case_id"].astype(str).to_numpy(),
        "part": issued["part"].astype(object).to_numpy(),
        "time": issued["timestamp"].to_numpy(),
        "issue_code": issued_codes,
    }).dropna(subset=["part"])
    issues = issues.assign(part=issues["part"].astype(str)).sort_values("time", kind="stable")
    issues["k"] = issues.groupby(["job", "part"]).cumcount()
    matched = wanted.merge(issues[["job", "part", "k", "issue_code"]], on=["job", "part", "k"], how="inner")
    codes[matched["row"].to_numpy()] = matched["issue_code"].to_numpy()
    return codes


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

"""Next year's spares budget from the log's history: demand, resupply, scrap and DOA per SKU.

Per SKU the log gives the demand rate (``part_issued`` per observed day),
the resupply time (handling ``item_received`` -> ``sent_to_vendor`` plus the
vendor's turnaround ``sent_to_vendor`` -> ``returned_from_vendor`` or
``scrapped``, items still at the vendor counted as censored trips; a scrapped
item is replaced by a new buy, which adds the new-buy lead time), the scrap
share and the DOA count.
Palm's theorem (:func:`svcsim.analytic.min_stock`) turns demand and resupply
into the base stock that meets the target fill rate; the budget is the cost
of topping the current stock up to it plus the expected new buys over the
horizon (scrapped units, and DOA units replaced).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.errors import InputError
from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import as_of_stamp, case_attribute, events_until, has_values
from svcsim.metrics.fill import fill_rate
from svcsim.metrics.usage import known_skus

__all__ = ["BUDGET_COLUMNS", "TOTAL", "read_catalogue", "spares_budget"]

TOTAL = "TOTAL"
BUDGET_COLUMNS: tuple[str, ...] = (
    "sku", "unit_cost", "issues", "demand_per_day", "items_returned", "items_scrapped", "items_open", "scrap_share",
    "doa_items", "handling_days", "vendor_days", "resupply_days", "resupply_basis", "target_stock", "base_stock",
    "top_up_units", "top_up_cost", "new_buys", "new_buys_cost", "budget", "palm_fill_at_base_stock",
    "measured_fill_rate", "note",
)
#: What the stock target assumes, stated beside every budget (``frame.attrs["assumptions"]``).
ASSUMPTIONS = ("Palm's theorem: Poisson demand per part, resupply times independent of each other and of the "
               "demand, one-for-one resupply with no limit on units at the supplier; a closed loop (a job that "
               "waits for a part sends nothing to the supplier yet) fills less than this when backorders are "
               "common (docs/howto/size-spare-stock.md)")


def read_catalogue(catalogue: pd.DataFrame | str | Path) -> pd.DataFrame:
    """The catalogue checked: ``sku`` (unique text), ``unit_cost`` (>= 0), optional ``base_stock`` (whole >= 0)
    and ``new_buy_lead_time_days`` (>= 0). A mistake is an :class:`InputError` naming file, row and field."""
    source = "<catalogue>"
    if not isinstance(catalogue, pd.DataFrame):
        source = str(catalogue)
        path = Path(catalogue)
        if not path.is_file():
            raise InputError("no such file", file=source, expected="a catalogue CSV with columns sku, unit_cost")
        try:
            catalogue = pd.read_csv(path, dtype={"sku": str})
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot be read as CSV ({exc})", file=source, expected="a catalogue CSV with columns sku, unit_cost") from None
    frame = catalogue.reset_index(drop=True)
    for column in ("sku", "unit_cost"):
        if column not in frame.columns:
            raise InputError(f"missing column; found {list(map(str, frame.columns))}", file=source, field=column,
                             expected="the columns sku, unit_cost (and optionally base_stock, new_buy_lead_time_days)")
    out = pd.DataFrame({"sku": frame["sku"].astype(object)})
    empty = out["sku"].isna() | (out["sku"].astype(str).str.strip() == "")
    _fail(empty.to_numpy(), source, "sku", "a part number on every row", frame["sku"])
    out["sku"] = out["sku"].astype(str).str.strip()
    dup = out["sku"].duplicated().to_numpy()
    _fail(dup, source, "sku", "each SKU once", frame["sku"], problem="appears twice")
    specs = {"unit_cost": (True, False, "a cost >= 0"), "base_stock": (False, True, "a whole number >= 0"),
             "new_buy_lead_time_days": (False, False, "a number of days >= 0")}
    for column, (required, whole, expected) in specs.items():
        if column not in frame.columns:
            out[column] = np.nan
            continue
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        bad = (frame[column].notna() & values.isna()) | (values < 0)
        if required:
            bad |= values.isna()
        if whole:
            bad |= values.notna() & (values != np.round(values))
        _fail(bad.to_numpy(), source, column, expected, frame[column])
        out[column] = values
    return out


def _fail(bad: np.ndarray, source: str, field: str, expected: str, values: pd.Series, problem: str | None = None) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(problem or f"value {values.iloc[row]!r}", file=source, field=field, row=row + 1, expected=expected)


def spares_budget(
    log: EventLog,
    catalogue: pd.DataFrame | str | Path,
    *,
    fill_rate: float = 0.95,
    horizon_days: float = 365,
    as_of: object = None,
) -> pd.DataFrame:
    """Per SKU of the catalogue (and any other SKU in the log), the stock target and budget; a last ``TOTAL`` row.

    Columns (``BUDGET_COLUMNS``): demand per day = ``part_issued`` events /
    days observed (first event to ``as_of``); resupply days = mean handling
    days + mean vendor days (Kaplan-Meier: trips still open at ``as_of`` are
    censored, not dropped) + scrap share x new-buy lead time
    (``resupply_basis`` "observed"); with no finished trip, the catalogue's
    lead time ("catalogue lead time") or unknown (NaN, with a note);
    target stock = ``min_stock(demand, resupply, fill_rate)`` under Palm's
    assumptions (:data:`ASSUMPTIONS`, also in ``frame.attrs["assumptions"]``);
    beside it, ``palm_fill_at_base_stock`` (what Palm promises at the
    catalogue's ``base_stock``) and ``measured_fill_rate`` (what the log
    shows: part requests served at once), so a gap between the formula and
    the center is seen, not assumed away; top-up = target
    minus the catalogue's ``base_stock`` (when given); new buys over the
    horizon = demand x horizon x (scrap share of defective items) + DOA items
    per day x horizon (each DOA unit replaced). ``budget`` = top-up cost + new
    buys cost. Whatever the log cannot say stays NaN with a note (no cost in
    the catalogue, no resupply time, no scrap share for a SKU in demand), and
    such a SKU is left out of the total, whose note counts them.
    """
    cat = read_catalogue(catalogue)
    stamp = as_of_stamp(log, as_of)
    events = events_until(log, stamp)
    days = max((stamp - events["timestamp"].min()) / pd.Timedelta(days=1), 0.0) if len(events) else 0.0
    skus = sorted(set(cat["sku"]) | set(known_skus(log)))
    table = pd.DataFrame({"sku": skus}).merge(cat, on="sku", how="left")

    has_part = has_values(events, "part")
    issued = events.loc[(events["activity"] == "part_issued").to_numpy()]
    issues = issued["part"].astype(str).value_counts() if has_part else pd.Series(dtype=float)
    table["issues"] = issues.reindex(skus, fill_value=0).to_numpy(dtype=float)
    table["demand_per_day"] = table["issues"] / days if days > 0 else np.nan

    trips = _trips(log, events, stamp)
    g = trips.groupby("part") if len(trips) else None

    def per(name: str, fn: str, mask: pd.Series | None = None) -> np.ndarray:
        if g is None:
            return np.full(len(skus), np.nan if fn == "mean" else 0.0)
        frame = trips if mask is None else trips[mask]
        agg = frame.groupby("part")[name].agg(fn)
        return agg.reindex(skus).to_numpy(dtype=float) if fn == "mean" else agg.reindex(skus, fill_value=0).to_numpy(dtype=float)

    returned = trips["end"] == "returned_from_vendor" if len(trips) else None
    scrapped = trips["end"] == "scrapped" if len(trips) else None
    table["items_returned"] = per("vendor_days", "count", returned)
    table["items_scrapped"] = per("vendor_days", "count", scrapped)
    table["items_open"] = per("case_id", "count", trips["end"].isna() if len(trips) else None)
    ended = table["items_returned"] + table["items_scrapped"]
    defective = (trips["item_kind"] != "dead_spare") if len(trips) else None
    def_returned = per("vendor_days", "count", returned & defective) if len(trips) else np.zeros(len(skus))
    def_scrapped = per("vendor_days", "count", scrapped & defective) if len(trips) else np.zeros(len(skus))
    with np.errstate(invalid="ignore", divide="ignore"):
        table["scrap_share"] = np.where(ended > 0, table["items_scrapped"] / ended.where(ended > 0, 1), np.nan)
        def_scrap_share = np.where(def_returned + def_scrapped > 0, def_scrapped / np.maximum(def_returned + def_scrapped, 1), np.nan)
    table["doa_items"] = _doa_counts(log, events, skus)
    table["handling_days"] = per("handling_days", "mean")
    vendor, censored_last = _vendor_means(trips, skus)
    table["vendor_days"] = vendor
    lead = table["new_buy_lead_time_days"].to_numpy(dtype=float)
    handling = np.nan_to_num(table["handling_days"].to_numpy(dtype=float))
    share = table["scrap_share"].to_numpy(dtype=float)
    observed = np.where(ended > 0, handling + vendor + np.nan_to_num(share * lead), np.nan)
    resupply = np.where(np.isnan(observed), lead, observed)
    table["resupply_days"] = resupply
    table["resupply_basis"] = np.where(~np.isnan(observed), "observed", np.where(~np.isnan(lead), "catalogue lead time", "unknown"))

    demand = table["demand_per_day"].to_numpy(dtype=float)
    ok = ~np.isnan(resupply) & ~np.isnan(demand)
    target = np.full(len(skus), np.nan)
    if ok.any():
        from svcsim.analytic import min_stock  # on first use: it loads scipy.special

        target[ok] = np.asarray(min_stock(demand[ok], resupply[ok], fill_rate), dtype=float)
    table["target_stock"] = target
    palm_at_base = np.full(len(skus), np.nan)
    base_given = ok & table["base_stock"].notna().to_numpy()
    if base_given.any():
        from svcsim.analytic import palm

        palm_at_base[base_given] = np.asarray(palm(demand[base_given], resupply[base_given],
                                                   table["base_stock"].to_numpy(dtype=float)[base_given]).fill_rate)
    table["palm_fill_at_base_stock"] = palm_at_base
    table["measured_fill_rate"] = _measured_fill(events, skus, has_part)
    table["base_stock"] = table["base_stock"].astype(float)
    table["top_up_units"] = np.where(table["base_stock"].notna(), np.maximum(target - table["base_stock"], 0), target)
    cost = table["unit_cost"].to_numpy(dtype=float)
    table["top_up_cost"] = table["top_up_units"] * cost
    doa_rate = table["doa_items"] / days if days > 0 else np.nan
    scrap_buys = np.where(demand == 0, 0.0, demand * horizon_days * def_scrap_share)  # unknown scrap share: unknown
    table["new_buys"] = scrap_buys + np.asarray(doa_rate, dtype=float) * horizon_days
    table["new_buys_cost"] = table["new_buys"] * cost
    table["budget"] = table["top_up_cost"] + table["new_buys_cost"]
    table["note"] = [_note(c, b, basis, open_, cens, lt) for c, b, basis, open_, cens, lt in
                     zip(cost, table["base_stock"], table["resupply_basis"], table["items_open"], censored_last, lead, strict=True)]
    total = {"sku": TOTAL, **{c: table[c].sum(min_count=1) for c in ("issues", "demand_per_day", "items_returned", "items_scrapped",
             "items_open", "doa_items", "target_stock", "top_up_units", "top_up_cost", "new_buys", "new_buys_cost", "budget")}}
    unknown = int(table["budget"].isna().sum())
    total["note"] = f"{unknown} SKU(s) with an unknown budget (no cost, resupply or scrap share) left out of the total" if unknown else None
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table.attrs.update(fill_rate=fill_rate, horizon_days=horizon_days, as_of=stamp, observed_days=days,
                       assumptions=ASSUMPTIONS)
    return table[list(BUDGET_COLUMNS)]


def _measured_fill(events: pd.DataFrame, skus: list[str], has_part: bool) -> np.ndarray:
    """Per SKU, the log's own fill rate: requests served at once over requests decided (NaN with none)."""
    if not has_part:
        return np.full(len(skus), np.nan)
    activity, part = events["activity"].astype(str), events["part"].astype(str)
    requested = part[activity == "part_requested"].value_counts().reindex(skus, fill_value=0).to_numpy(float)
    waited = part[activity == "waiting_parts"].value_counts().reindex(skus, fill_value=0).to_numpy(float)
    return fill_rate(requested - waited, waited)


def _note(cost: float, base: float, basis: str, open_items: float, censored_last: bool, lead: float) -> str | None:
    notes = []
    if np.isnan(cost):
        notes.append("not in the catalogue: no cost")
    if basis == "unknown":
        notes.append("no finished vendor trip and no lead time: resupply unknown")
    elif basis == "catalogue lead time":
        notes.append("no finished vendor trip: resupply from the catalogue's lead time")
    if open_items and basis == "observed":
        notes.append(f"{int(open_items)} item(s) still at the vendor: Kaplan-Meier mean")
    if censored_last and basis == "observed":
        notes.append("the longest trip is still open: the mean is a lower bound")
    if basis == "observed" and np.isnan(lead):
        notes.append("no new_buy_lead_time_days: scrapped units' new-buy time counted as 0")
    if np.isnan(base):
        notes.append("no base_stock given: top-up is the whole target")
    return "; ".join(notes) or None


def _trips(log: EventLog, events: pd.DataFrame, stamp: pd.Timestamp) -> pd.DataFrame:
    """One row per item case sent to the vendor: part, item_kind, handling and vendor days, how the trip ended (or NaN)."""
    acts = ["item_received", "sent_to_vendor", "returned_from_vendor", "scrapped"]
    ev = events.loc[events["activity"].isin(acts), ["case_id", "activity", "timestamp"]]
    part, kind = case_attribute(log, "part"), case_attribute(log, "item_kind")
    if ev.empty or part is None:
        return pd.DataFrame(columns=["case_id", "part", "item_kind", "handling_days", "vendor_days", "end"])
    ev = ev.assign(case_id=ev["case_id"].astype(str), activity=ev["activity"].astype(str))
    first = ev.sort_values("timestamp", kind="stable").groupby(["case_id", "activity"])["timestamp"].first().unstack()
    first = first.reindex(columns=acts).apply(lambda col: pd.to_datetime(col, utc=True))
    first = first[first["sent_to_vendor"].notna()]
    day = pd.Timedelta(days=1)
    back, scrap = first["returned_from_vendor"], first["scrapped"]
    end = np.where(back.notna(), "returned_from_vendor", np.where(scrap.notna(), "scrapped", None))
    end_time = back.where(back.notna(), scrap).fillna(stamp)
    return pd.DataFrame({
        "case_id": first.index.to_numpy(),
        "part": part.reindex(first.index).to_numpy(),
        "item_kind": kind.reindex(first.index).to_numpy() if kind is not None else np.full(len(first), None, dtype=object),
        "handling_days": ((first["sent_to_vendor"] - first["item_received"]) / day).to_numpy(dtype=float),
        "vendor_days": ((end_time - first["sent_to_vendor"]) / day).to_numpy(dtype=float),
        "end": end,
    }).dropna(subset=["part"]).assign(part=lambda f: f["part"].astype(str))


def km_mean(durations: np.ndarray, ended: np.ndarray) -> tuple[float, bool]:
    """Kaplan-Meier mean of trip durations, some still open (``ended`` False: censored at ``as_of``).

    The area under the estimated survival curve up to the longest observed
    time (the restricted mean); also whether that longest time is censored,
    in which case the mean is a lower bound. NaN when nothing ended.
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(ended, dtype=bool)
    if not e.any():
        return float("nan"), True
    order = np.lexsort((~e, t))  # by time; at equal times, ends before censorings
    t, e = t[order], e[order]
    at_risk = len(t) - np.arange(len(t))
    survival = np.cumprod(np.where(e, 1.0 - 1.0 / at_risk, 1.0))
    before = np.concatenate(([1.0], survival[:-1]))
    area = float(np.sum(before * np.diff(np.concatenate(([0.0], t)))))
    return area, bool(not e[-1])


def _vendor_means(trips: pd.DataFrame, skus: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per SKU: the Kaplan-Meier mean vendor days (sent -> returned or scrapped, open trips censored), and whether its last time is censored."""
    means = np.full(len(skus), np.nan)
    censored = np.zeros(len(skus), dtype=bool)
    if not len(trips):
        return means, censored
    for i, sku in enumerate(skus):
        mine = trips[trips["part"] == sku]
        if len(mine):
            means[i], censored[i] = km_mean(mine["vendor_days"].to_numpy(dtype=float), mine["end"].notna().to_numpy())
    return means, censored


def _doa_counts(log: EventLog, events: pd.DataFrame, skus: list[str]) -> np.ndarray:
    """DOA item cases received by as_of, per SKU."""
    part, kind = case_attribute(log, "part"), case_attribute(log, "item_kind")
    if part is None or kind is None:
        return np.zeros(len(skus))
    rec = pd.Index(pd.unique(events.loc[events["activity"] == "item_received", "case_id"].astype(str)))
    doa = rec[(kind.reindex(rec).to_numpy() == "dead_spare")]
    return pd.Series(part.reindex(doa).to_numpy()).dropna().astype(str).value_counts().reindex(skus, fill_value=0).to_numpy(dtype=float)

"""Routing and shares from the log: the mix, zones and every chance the model draws that the log can tell.

Each share is ``successes / trials`` over the cases where the branch was
decided in the log (a case still open before the branch tells nothing),
with a Wilson 95 % interval. The fix-failure chances are corrected for
the repeats not yet seen: a repair at time ``t`` could only show its
repeat by the end if the repeat delay was shorter than ``end - t``, so the
trials are weighted by the fitted repeat delay's CDF there.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from svcsim.fitting.observe import Observed, ticket_kinds, ticket_rows
from svcsim.fitting.report import ParameterFit

__all__ = ["fit_shares", "wilson", "MIN_TRIALS"]

#: Fewer decided cases than this and a share keeps the template's value.
MIN_TRIALS = 20
_KINDS = ("question", "field", "carry_in", "mail_in", "complaint", "sale")


def wilson(k: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a share ``k / n``."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = 0.0 if k <= 0 else max(0.0, centre - half)     # exactly 0 and 1 at the ends, not float dust
    high = 1.0 if k >= n else min(1.0, centre + half)
    return (low, high)


class _Shares:
    def __init__(self, template: Any) -> None:
        self.template = template
        self.changes: dict[str, Any] = {}
        self.rows: list[ParameterFit] = []
        self.warnings: list[str] = []

    def share(self, path: str, k: float, n: float, what: str, *, events: int | None = None) -> None:
        if n < MIN_TRIALS:
            self.warnings.append(f"{path}: {int(n)} decided cases ({what}), fewer than {MIN_TRIALS}; the template's value is kept")
            self.rows.append(ParameterFit(path, _value(self.template, path), source="template",
                                          note=f"{int(n)} decided cases ({what})"))
            return
        p = float(k) / float(n)
        self.changes[path] = round(p, 5)
        self.rows.append(ParameterFit(path, round(p, 5), wilson(k, n), int(round(n)), int(events or round(n)),
                                      None, None, "log", f"{k:.0f} of {n:.0f} {what}"))

    def template_row(self, path: str, why: str) -> None:
        self.rows.append(ParameterFit(path, _value(self.template, path), source="template", note=why))


def _value(template: Any, path: str) -> Any:
    node: Any = template
    for key in path.split("."):
        if isinstance(node, dict):
            node = node.get(key)
        elif isinstance(node, list):
            node = next((p for p in node if getattr(p, "sku", None) == key), None)
        else:
            node = getattr(node, key, None)
    return node


def fit_shares(obs: Observed, template: Any, repeat_cdf: Any = None, repairs: pd.DataFrame | None = None
               ) -> tuple[dict[str, Any], list[ParameterFit], list[str]]:
    """Changes, report rows and warnings for the mix, zones, chances and part shares."""
    out = _Shares(template)
    cases = obs.cases
    kinds = ticket_kinds(obs)
    rows = np.flatnonzero(ticket_rows(obs))   # kinds' rows of the cases table, in its order
    if "parent_id" in cases:
        first_calls = ~cases["parent_id"].notna().to_numpy()[rows]
        kinds, rows = kinds[first_calls], rows[first_calls]
    told = kinds.notna().to_numpy()
    known, known_code = kinds[told], obs.case_code[rows[told]]

    def of_kind(kind: str) -> np.ndarray:
        return obs.mask_of_codes(known_code[(known == kind).to_numpy()])

    total = len(known)
    for kind in _KINDS:
        out.share(f"demand.mix.{kind}", int((known == kind).sum()), total, "calls whose kind the log tells")
    tickets = cases.iloc[rows]
    if "zone" in tickets:
        zone = tickets["zone"].dropna().astype(str)
        for name in template.demand.zones:
            out.share(f"demand.zones.{name}", int((zone == name).sum()), len(zone), "tickets with a zone")
    having, act = obs.having, obs.activity_is
    by_op, by_tech = obs.role_is("operators"), obs.role_is("tech_support")
    questions = of_kind("question")
    solved = having(act("resolved_by_phone") & by_op) & questions
    escalated = having(by_tech) & questions & ~solved
    out.share("probabilities.solved_by_phone", int(solved.sum()), int(solved.sum() + escalated.sum()),
              "questions settled or escalated")
    tech_solved = having(act("resolved_by_phone") & by_tech)
    tech_logged = having(act("ticket_logged") & by_tech)
    out.share("probabilities.tech_solves", int(tech_solved.sum()), int((tech_solved | tech_logged).sum()),
              "questions technical support settled")
    if "fault" in tickets:
        fault = tickets["fault"].dropna().astype(str)
        out.share("probabilities.software_fault", int((fault == "software").sum()), len(fault), "tickets with a fault")
    if "priority" in tickets:
        prio = _numbers(tickets["priority"]).dropna()
        out.share("probabilities.urgent", int((prio == prio.min()).sum()) if len(prio) and prio.nunique() > 1 else 0,
                  len(prio), "tickets with a priority (urgent: the highest)")
    if "warranty" in tickets:
        stated = tickets["warranty"].notna().to_numpy()
        warranty = tickets["warranty"][stated].astype(str).str.lower()
        out.share("probabilities.in_warranty", int(warranty.isin(["in", "true", "1"]).sum()), len(warranty),
                  "tickets with a warranty")
        out_w = (obs.mask_of_codes(obs.case_code[rows[stated]][~warranty.isin(["in", "true", "1"]).to_numpy()])
                 & of_kind("field"))
        declined = having(obs.reason_has("quote declined") & by_op) & out_w
        logged = having(act("ticket_logged") & by_op) & out_w
        out.share("probabilities.quote_declined", int(declined.sum()), int((declined | logged).sum()),
                  "field tickets out of warranty")
    complaints = of_kind("complaint")
    major = having(obs.reason_has("major") | act("dispatched")) & complaints
    settled = having(obs.reason_has("complaint settled")) & complaints
    out.share("probabilities.major_complaint", int(major.sum()), int((major | settled).sum()),
              "complaints settled or met on")
    _field_chances(out, obs)
    _fix_fails(out, obs, repeat_cdf, repairs)
    _parts(out, obs)
    return out.changes, out.rows, out.warnings


def _numbers(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")``; a categorical's categories converted once, not every row."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return pd.to_numeric(values, errors="coerce")
    numbers = pd.to_numeric(pd.Series(values.cat.categories, dtype=object), errors="coerce").to_numpy(dtype=float)
    return pd.Series(np.append(numbers, np.nan)[values.cat.codes.to_numpy()], index=values.index)


def _field_chances(out: _Shares, obs: Observed) -> None:
    fe, act = obs.role_is("field_engineers"), obs.activity_is
    arrived, delays = int((fe & act("arrived_on_site")).sum()), int((fe & act("customer_delay")).sum())
    out.share("probabilities.customer_not_ready", delays, arrived, "field visits", events=delays + arrived)
    codes, t = obs.codes, obs.events["t"].to_numpy()
    start_code, start_t = _first_per_case(codes[fe & act("repair_started")], t[fe & act("repair_started")])
    if "fault" in obs.cases and obs.case_is("fault", "hardware").any():
        hardware = obs.mask_of_rows(obs.case_is("fault", "hardware"))
        start_code, start_t = start_code[hardware[start_code]], start_t[hardware[start_code]]
    started = np.zeros(len(obs.case_names), bool)
    started[start_code] = True
    started_at = np.zeros(len(obs.case_names), np.int64)
    started_at[start_code] = start_t
    requested = act("part_requested") & started[codes]
    req_code, req_t = _first_per_case(codes[requested], t[requested])
    decided = obs.having(act("completed", "part_requested") & started[codes])
    out.share("probabilities.part_needed", len(req_code), int(decided.sum()), "field hardware repairs started and decided")
    in_van = int((req_t == started_at[req_code]).sum())
    out.share("probabilities.part_in_van", in_van, len(req_code), "field parts requested (in the van: at repair_started)")


def _first_per_case(codes: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each case's code and its first time, of events sorted by case then time."""
    first = np.r_[True, codes[1:] != codes[:-1]][:len(codes)]
    return codes[first], t[first]


def _fix_fails(out: _Shares, obs: Observed, repeat_cdf: Any, repairs: pd.DataFrame | None) -> None:
    for fault in ("software", "hardware"):
        path = f"probabilities.fix_fails_{fault}"
        if repairs is None or repeat_cdf is None or not len(repairs):
            out.template_row(path, "no repeats (parent_id) in the log, or no fitted repeat delay")
            continue
        mine = repairs[repairs["fault"] == fault]
        left = (obs.end - mine["repaired"]).dt.total_seconds().to_numpy() / 60.0
        exposure = float(np.sum(repeat_cdf(np.maximum(left, 0.0))))
        out.share(path, int(mine["repeated"].sum()), exposure,
                  f"{fault} repairs, weighted by the chance their repeat was due by the end")


def _parts(out: _Shares, obs: Observed) -> None:
    ev, cases = obs.events, obs.cases
    requested = ev[obs.activity_is("part_requested")]
    skus = [p.sku for p in out.template.spares.parts]
    part = requested["part"].astype(str)
    known = part[part.isin(skus)]
    for sku in skus:
        out.share(f"spares.parts.{sku}.demand_share", int((known == sku).sum()), len(known), "parts requested")
    item_rows = obs.case_is("case_type", "item") if "case_type" in cases else np.zeros(len(cases), bool)
    items = cases[item_rows]
    codes = obs.codes
    at = np.flatnonzero(obs.activity_is("scrapped", "returned_from_vendor") & obs.mask_of_rows(item_rows)[codes])
    at = at[np.r_[True, codes[at][1:] != codes[at][:-1]][:len(at)]]   # each item's first
    if "item_kind" in items:
        units = item_rows & cases["item_kind"].astype(str).isin(["customer_unit", "doa_unit"]).to_numpy()
        at = at[~obs.mask_of_rows(units)[codes[at]]]
    item_part = items["part"].astype(str) if "part" in items else pd.Series(dtype=str)
    done_part = item_part.reindex(pd.Index(obs.case_names[codes[at]], dtype=object)).to_numpy()
    scrapped = obs.activity_is("scrapped")[at]
    for sku in skus:
        mine = done_part == sku
        out.share(f"spares.parts.{sku}.scrap_share", int(scrapped[mine].sum()), int(mine.sum()),
                  "items back from the supplier or scrapped")

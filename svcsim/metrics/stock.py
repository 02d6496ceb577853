"""Stock results per SKU: fill rate, jobs that waited for parts, items past each vendor milestone.

Read from the event log only (``part_requested``, ``part_issued``,
``waiting_parts`` with their ``part``; item cases with ``part``) and from the
rule engine's verdicts of the vendor ladder (the ladder rule that starts at
``sent_to_vendor``; built in: rule ``vendor``, milestones ``vendor-3d`` ...
``vendor-30d``), so it serves a simulated run and a live export alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import (
    as_of_stamp,
    case_attribute,
    events_until,
    has_values,
    missing,
    ordered,
    recorded_activities,
)
from svcsim.metrics._verdicts import verdicts
from svcsim.metrics.fill import fill_rate
from svcsim.rules.engine import CheckResult
from svcsim.rules.load import RuleSet, load_rules
from svcsim.rules.spec import LadderRule

__all__ = ["ALL_PARTS", "STOCK_NEEDS", "VENDOR_START", "milestone_column", "request_outcomes", "stock_results",
           "vendor_ladder"]

ALL_PARTS = "ALL"
STOCK_NEEDS = {"activities": ("part_requested", "part_issued"), "event_columns": ("part",)}
_PART_EVENTS = ("part_requested", "part_issued", "waiting_parts")
#: The activity the vendor loop starts with: the ladder rule that starts at it is the vendor ladder.
VENDOR_START = "sent_to_vendor"


def milestone_column(milestone_id: str, what: str = "past") -> str:
    """Column name of a milestone count, e.g. ``past_vendor_3d``."""
    return f"{what}_{milestone_id.replace('-', '_')}"


def request_outcomes(events: pd.DataFrame) -> pd.DataFrame:
    """One row per ``part_requested`` with a part: case_id, part, outcome (``at_once``, ``waited``, ``open``).

    A request's outcome is the next ``part_issued`` or ``waiting_parts`` of
    the same case and part (in the order of narration) before the case's next
    request for that part: ``at_once`` for an issue, ``waited`` for a wait,
    ``open`` when neither came by ``as_of``.
    """
    sel = events.loc[events["activity"].isin(_PART_EVENTS).to_numpy() & events["part"].notna().to_numpy()]
    sel = ordered(sel.assign(part=sel["part"].astype(str), activity=sel["activity"].astype(str)))
    sel = sel.sort_values(["case_id", "part"], kind="stable").reset_index(drop=True)
    act = sel["activity"].to_numpy(dtype=object)
    same = (sel["case_id"].to_numpy(dtype=object)[1:] == sel["case_id"].to_numpy(dtype=object)[:-1]) & (
        sel["part"].to_numpy(dtype=object)[1:] == sel["part"].to_numpy(dtype=object)[:-1])
    nxt = np.append(act[1:], None)
    nxt = np.where(np.append(same, False), nxt, None)
    req = act == "part_requested"
    outcome = np.where(nxt == "part_issued", "at_once", np.where(nxt == "waiting_parts", "waited", "open"))
    return pd.DataFrame({"case_id": sel["case_id"].to_numpy()[req], "part": sel["part"].to_numpy()[req], "outcome": outcome[req]})


def stock_results(log: EventLog, *, as_of: object = None, rules: RuleSet | str | Path | None = None,
                  result: CheckResult | None = None) -> pd.DataFrame:
    """Per SKU (and a last row ``ALL``): requests, fill rate, jobs that waited for parts, items past each vendor milestone.

    Columns: ``part``, ``requests``, ``issued_at_once``, ``waited``,
    ``open_requests``, ``fill_rate`` (issued at once / (at once + waited)),
    ``jobs`` (tickets that requested the part; for ``ALL``, every job: a
    ticket with ``dispatched``, ``unit_received`` or ``part_requested``),
    ``jobs_waited``, ``jobs_waited_share``, then per milestone of the vendor
    ladder ``past_<id>`` (items still at the vendor whose milestone fell due
    by ``as_of``) and ``missed_<id>`` (of those, the ones the engine escalates:
    status ``breached_open``). ``attrs["skipped"]`` says what was left out and why.

    ``result``, when given, is :func:`svcsim.check` of the same ``log`` and
    ``rules``: its vendor ladder verdicts are used instead of judging the log
    again; ``as_of`` then defaults to ``result.as_of`` and ``rules`` to
    ``result.rules``.
    """
    if result is not None:
        as_of = result.as_of if as_of is None else as_of
        rules = result.rules if rules is None else rules
    stamp = as_of_stamp(log, as_of)
    events = events_until(log, stamp)
    skipped: dict[str, str] = {}
    why = missing(log, **STOCK_NEEDS)
    frame: pd.DataFrame
    if why:
        skipped["fill_rate"] = why
        frame = pd.DataFrame({"part": pd.Series([], dtype=object)})
    else:
        frame = _fill_table(log, events)
    vendor = _vendor_table(log, stamp, rules, result)
    if isinstance(vendor, str):
        skipped["vendor_milestones"] = vendor
    else:
        frame = frame.merge(vendor, on="part", how="outer")
        frame = pd.concat([frame[frame["part"] != ALL_PARTS].sort_values("part"), frame[frame["part"] == ALL_PARTS]], ignore_index=True)
        counts = [c for c in frame.columns if c.startswith(("past_", "missed_", "at_vendor", "requests", "issued", "waited", "open_", "jobs")) and c != "jobs_waited_share"]
        frame[counts] = frame[counts].fillna(0).astype(np.int64)
    frame = frame.reset_index(drop=True)
    frame.attrs["skipped"] = skipped
    frame.attrs["as_of"] = stamp
    return frame


def _fill_table(log: EventLog, events: pd.DataFrame) -> pd.DataFrame:
    req = request_outcomes(events)
    skus = sorted(set(req["part"]))
    grouped = req.groupby(["part", "outcome"]).size().unstack(fill_value=0).reindex(index=skus, columns=["at_once", "waited", "open"], fill_value=0)
    waits = events.loc[(events["activity"] == "waiting_parts").to_numpy() & events["part"].notna().to_numpy(), ["case_id", "part"]]
    waits = waits.assign(case_id=waits["case_id"].astype(str), part=waits["part"].astype(str))
    jobs = req.groupby("part")["case_id"].nunique().reindex(skus, fill_value=0)
    waited_jobs = waits.groupby("part")["case_id"].nunique().reindex(skus, fill_value=0)
    table = pd.DataFrame({
        "part": skus,
        "requests": grouped.sum(axis=1).to_numpy(),
        "issued_at_once": grouped["at_once"].to_numpy(),
        "waited": grouped["waited"].to_numpy(),
        "open_requests": grouped["open"].to_numpy(),
        "jobs": jobs.to_numpy(),
        "jobs_waited": waited_jobs.to_numpy(),
    })
    job_acts = ["dispatched", "unit_received", "part_requested"]
    all_jobs = events.loc[events["activity"].isin(job_acts), "case_id"].astype(str)
    if has_values(log.cases, "case_type"):
        types = log.cases.assign(case_id=log.cases["case_id"].astype(str)).set_index("case_id")["case_type"]
        all_jobs = all_jobs[types.reindex(all_jobs).astype(object).to_numpy() == "ticket"]
    total = {
        "part": ALL_PARTS,
        "requests": int(table["requests"].sum()),
        "issued_at_once": int(table["issued_at_once"].sum()),
        "waited": int(table["waited"].sum()),
        "open_requests": int(table["open_requests"].sum()),
        "jobs": int(all_jobs.nunique()),
        "jobs_waited": int(waits["case_id"].nunique()),
    }
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    table["fill_rate"] = fill_rate(table["issued_at_once"].to_numpy(), table["waited"].to_numpy())
    table["jobs_waited_share"] = (table["jobs_waited"] / table["jobs"].where(table["jobs"] > 0)).astype(float)
    cols = ["part", "requests", "issued_at_once", "waited", "open_requests", "fill_rate", "jobs", "jobs_waited", "jobs_waited_share"]
    return table[cols]


def vendor_ladder(ruleset: RuleSet) -> LadderRule | None:
    """The vendor ladder of ``ruleset``: the first ladder rule that starts at ``sent_to_vendor`` (None if none)."""
    return next((r for r in ruleset.rules if isinstance(r, LadderRule) and VENDOR_START in r.start), None)


def _vendor_table(log: EventLog, stamp: pd.Timestamp, rules: RuleSet | str | Path | None,
                  result: CheckResult | None = None) -> pd.DataFrame | str:
    """Per part (and ALL): items past / missing each milestone of the vendor ladder, or why it cannot be said."""
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    ladder = vendor_ladder(ruleset)
    if ladder is None:
        return f"the rules have no ladder rule starting at {VENDOR_START}"
    fields = ladder.applies_to.fields() if ladder.applies_to is not None else set()
    why = missing(log, activities=sorted(ladder.start), case_columns=sorted(fields))
    if why:
        return why
    if not set(ladder.stop) & recorded_activities(log):
        return f"no {' or '.join(ladder.stop)} events recorded: no item could be seen coming back"
    from dataclasses import replace

    results = verdicts(log, replace(ruleset, rules=(ladder,)), stamp, result)
    results = results[results["repeat"] == 1]
    ids = [m.id for m in ladder.milestones]
    # open cycles: the last start of a case with no stop after it
    ev = events_until(log, stamp)
    ev = ev.loc[ev["activity"].isin([*ladder.start, *ladder.stop])]
    ev = ordered(ev.assign(activity=ev["activity"].astype(str)))
    last = ev.groupby("case_id", sort=False)["activity"].last()
    open_cases = set(last.index[last.isin(ladder.start)].astype(str))
    res = results.assign(case_id=results["case_id"].astype(str), rule_id=results["rule_id"].astype(str), status=results["status"].astype(str))
    last_cycle = res.groupby("case_id")["cycle"].transform("max")
    res = res[(res["cycle"] == last_cycle) & res["case_id"].isin(open_cases)]
    part_of = case_attribute(log, "part")
    if part_of is None:
        part_of = pd.Series(dtype=object)
    res = res.assign(part=part_of.reindex(res["case_id"]).fillna("(no part)").astype(str).to_numpy())
    past = res[res["due"] < stamp]
    missed = res[res["status"] == "breached_open"]
    table = pd.DataFrame(index=pd.Index(sorted(set(part_of.dropna().astype(str)) | set(res["part"])), name="part"))
    for mid in ids:
        table[milestone_column(mid)] = past[past["rule_id"] == mid].groupby("part").size().reindex(table.index, fill_value=0)
    for mid in ids:
        table[milestone_column(mid, "missed")] = missed[missed["rule_id"] == mid].groupby("part").size().reindex(table.index, fill_value=0)
    table.loc[ALL_PARTS] = table.sum(axis=0)
    table["at_vendor"] = 0
    at_vendor = pd.Series(part_of.reindex(sorted(open_cases)).fillna("(no part)").astype(str).to_numpy()).value_counts()
    table["at_vendor"] = at_vendor.reindex(table.index, fill_value=0).to_numpy()
    table.loc[ALL_PARTS, "at_vendor"] = len(open_cases)
    return table.fillna(0).astype(np.int64).reset_index()

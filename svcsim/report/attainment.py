"""Each target's attainment against its requirement: the one table every report kind leads with.

Columns of ``attainment.csv``: ``rule_id``, ``title``, ``attainment_pct``,
``ci_low``, ``ci_high`` (the interval; empty for a single run), ``due`` (the
verdicts it is over, or replications for a mean), ``verdict`` (``not yet
due`` when no verdict has fallen due), ``required_pct`` (from
``--require RULE=PCT``, empty when none was given) and ``meets`` (``True``,
``False`` or empty: judged on the attainment itself for a single run, on
the whole interval for replications: green only when ``ci_low`` reaches the
requirement, red when ``ci_high`` stays below it, else ``unsure``).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from svcsim.errors import InputError

__all__ = ["NOT_YET_DUE", "check_requirements", "from_replications", "from_single"]

NOT_YET_DUE = "not yet due"


def check_requirements(require: Mapping[str, float], known: list[str]) -> dict[str, float]:
    """``require`` with each rule id known and each percentage in [0, 100]; a mistake is an InputError."""
    out: dict[str, float] = {}
    for rule, pct in require.items():
        if rule not in known:
            raise InputError(f"--require {rule}: no such target", field="--require",
                             expected=f"rule ids among {', '.join(sorted(known))}")
        if not (isinstance(pct, (int, float)) and 0 <= pct <= 100):
            raise InputError(f"--require {rule}={pct}", field="--require", expected="a percentage from 0 to 100")
        out[rule] = float(pct)
    return out


def from_single(summary: pd.DataFrame, require: Mapping[str, float]) -> pd.DataFrame:
    """The attainment table of one judged log (a run's horizon summary or a live check's summary)."""
    verdict = summary["verdict"].astype(str) if "verdict" in summary else pd.Series("", index=summary.index)
    due = summary["decided"] if "decided" in summary else summary["rows"]
    frame = pd.DataFrame({
        "rule_id": summary["rule_id"].astype(str).to_numpy(),
        "title": summary["title"].astype(str).to_numpy(),
        "attainment_pct": summary["attainment_pct"].astype(float).to_numpy(),
        "ci_low": np.nan, "ci_high": np.nan,
        "due": due.astype(np.int64).to_numpy(),
        "verdict": np.where(summary["attainment_pct"].isna() & (verdict == NOT_YET_DUE), NOT_YET_DUE,
                            np.where(summary["attainment_pct"].isna(), "no verdict", "")),
    })
    return _judged(frame, require)


def from_replications(summary: pd.DataFrame, titles: Mapping[str, str], require: Mapping[str, float]) -> pd.DataFrame:
    """The attainment table of replications' summary (``kind == attainment_pct`` rows, mean and interval)."""
    rows = summary[summary["kind"] == "attainment_pct"].set_index("subject")
    counted = summary[summary["kind"] == "due_count"].set_index("subject")
    rules = list(dict.fromkeys([*counted.index.astype(str), *rows.index.astype(str)]))
    rows = rows.reindex(rules)
    frame = pd.DataFrame({
        "rule_id": rules,
        "title": [titles.get(r, "") for r in rules],
        "attainment_pct": rows["mean"].astype(float).to_numpy(),
        "ci_low": rows["ci_low"].astype(float).to_numpy(),
        "ci_high": rows["ci_high"].astype(float).to_numpy(),
        "due": rows["n"].fillna(0).astype(np.int64).to_numpy(),
    })
    frame["verdict"] = np.where(frame["attainment_pct"].isna(), NOT_YET_DUE, "")
    return _judged(frame, require)


def _judged(frame: pd.DataFrame, require: Mapping[str, float]) -> pd.DataFrame:
    required = frame["rule_id"].map(require).astype(float)
    low = frame["ci_low"].fillna(frame["attainment_pct"])
    high = frame["ci_high"].fillna(frame["attainment_pct"])
    meets = np.where(required.isna() | frame["attainment_pct"].isna(), "",
                     np.where(low >= required, "True", np.where(high < required, "False", "unsure")))
    return frame.assign(required_pct=required, meets=meets)


"""Holding the vectorised engine to the per-case oracle, row by row."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["rule_id", "case_id", "cycle", "repeat"]
COMPARED = ["status", "start", "stop", "due", "elapsed", "business_elapsed", "paused", "target",
            "target_reason", "level", "reason", "related_case_id"]


def engine_vs_oracle(engine: pd.DataFrame, oracle: pd.DataFrame) -> pd.DataFrame:
    """Rows where the two disagree (missing on one side, or any compared column differs); empty when they agree."""
    e = engine.copy()
    e["rule_id"] = e["rule_id"].astype(str)
    e["case_id"] = e["case_id"].astype(str)
    o = oracle.drop(columns=[c for c in oracle.columns if c.startswith("_")]).copy()
    for c in ("start", "stop", "due"):
        o[c] = pd.to_datetime(np.asarray(o[c].tolist(), dtype=np.int64).view("datetime64[ns]"), utc=True)
    for c in ("elapsed", "business_elapsed", "paused", "target"):
        o[c] = pd.to_timedelta(np.asarray(o[c].tolist(), dtype=np.int64).view("timedelta64[ns]"))
    merged = e.merge(o, on=KEYS, how="outer", suffixes=("_engine", "_oracle"), indicator=True)
    bad = merged["_merge"] != "both"
    for c in COMPARED:
        a = merged[f"{c}_engine"].astype(object)
        b = merged[f"{c}_oracle"].astype(object)
        same = (a == b) | (pd.isna(a) & pd.isna(b))
        bad |= ~same.astype(bool)
    return merged.loc[bad]

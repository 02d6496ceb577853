"""Customer satisfaction by month: the answers given at the satisfaction callback.

Every role of the source document answers for "customer satisfaction
100 %". A case's answer is its ``satisfied`` attribute: true or false (a
simulated run writes it from the callback, :mod:`svcsim.simulation.satisfaction`;
a live export maps its own survey column to it, ``[case_attributes]
satisfied = "Survey"``, with values such as yes/no, true/false, 1/0,
satisfied/dissatisfied). A case counts in the month of its first
``callback_made``, or of its last event when the log has no callback. The
KPI ``satisfaction_rate`` is the satisfied share of the answers; it is
flagged whenever it is below the document's 100 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.metrics._log import case_attribute, local_month_codes, missing
from svcsim.metrics._rows import counts_by_month, kpi_rows

__all__ = ["SATISFACTION_NEEDS", "answered", "satisfaction_rate"]

SATISFACTION_NEEDS = {"attributes": ("satisfied",)}
_YES = {"true", "yes", "y", "1", "satisfied", "t"}
_NO = {"false", "no", "n", "0", "dissatisfied", "unsatisfied", "not satisfied", "f"}


def answered(values: pd.Series) -> pd.Series:
    """Each case's answer as a nullable boolean: true, false, or <NA> (no answer, or one not understood)."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    text = values.astype(object).map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
                                     else str(v).strip().lower())
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(_YES)] = True
    out[text.isin(_NO)] = False
    return out


def satisfaction_rate(log: EventLog, events: pd.DataFrame, months: np.ndarray,
                      zone: str) -> tuple[list[pd.DataFrame], dict[str, str]]:
    """Rows of ``satisfaction_rate``: satisfied answers over answers, by the month of the callback."""
    why = missing(log, **SATISFACTION_NEEDS)
    if why:
        return [], {"satisfaction_rate": why}
    answers = answered(case_attribute(log, "satisfied")).dropna()
    ev = events.assign(case_id=events["case_id"].astype(str)).sort_values("timestamp", kind="stable")
    callbacks = ev[ev["activity"] == "callback_made"].drop_duplicates("case_id", keep="first").set_index("case_id")
    last = ev.drop_duplicates("case_id", keep="last").set_index("case_id")["timestamp"]
    when = callbacks["timestamp"].reindex(answers.index).fillna(last.reindex(answers.index))
    seen = when.notna().to_numpy()  # an answer of a case with no event by as_of is not counted yet
    codes = local_month_codes(when[seen], zone)
    yes = answers[seen].to_numpy(dtype=bool)
    num, den = counts_by_month(codes[yes], months), counts_by_month(codes, months)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)
    flag = pd.array(np.where(den > 0, num < den, pd.NA), dtype="boolean")
    return [kpi_rows("satisfaction_rate", months, unit="share", value=rate, numerator=num, denominator=den,
                     flag=flag)], {}

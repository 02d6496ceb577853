"""The rule engine's verdicts a metric reads: from a :class:`CheckResult` already made, or judged now.

Data flows one way: a caller that has judged the log (``svcsim check``,
``svcsim run``) passes its :class:`~svcsim.rules.engine.CheckResult` on, and
the metric reads the rows of the rules it needs from it instead of running
the engine again. Without one, the metric judges the log with just those rules.
"""

from __future__ import annotations

import pandas as pd

from svcsim.eventlog.log import EventLog
from svcsim.rules.engine import CheckResult, check
from svcsim.rules.load import RuleSet

__all__ = ["verdicts"]


def verdicts(log: EventLog, ruleset: RuleSet, as_of: pd.Timestamp, result: CheckResult | None) -> pd.DataFrame:
    """The result rows of ``ruleset``'s rules on ``log`` as of ``as_of``: taken from ``result`` when given."""
    if result is None:
        return check(log, ruleset, as_of).results
    if result.as_of != as_of:
        raise ValueError(f"the check result was judged as of {result.as_of}, the metric asks for {as_of}: "
                         "pass the same as_of (or none)")
    ids = [rid for rule in ruleset.rules for rid in rule.result_ids()]
    rows = result.results
    return rows[rows["rule_id"].astype(str).isin(ids).to_numpy()].reset_index(drop=True)

"""How far do our rule verdicts agree with the UCI log's own ``made_sla``?

Loads the real incident log through the example mapping, judges it with the
example rules (held while awaiting) and with the same rules without the hold,
and prints the agreement with ``made_sla`` (the company's own verdict, the last
value of each incident) overall and by priority, and the cross table.

    python experiments/uci_made_sla.py [path to incident_event_log_readable.zip]

The figures are quoted in docs/howto/check-a-live-export.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from svcsim.live import load_events
from svcsim.rules import check, parse_rules

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "uci-incident-log"
DEFAULT = ROOT.parent / "shared" / "data" / "uci-incident-log" / "incident_event_log_readable.zip"
AS_OF = "2017-03-01T00:00:00+00:00"


def verdicts(log, rules_text: str) -> pd.DataFrame:  # noqa: ANN001
    """The first resolve cycle of each incident, with our verdict and theirs."""
    results = check(log, parse_rules(rules_text, source="rules.toml"), as_of=AS_OF).results
    first = results[(results["rule_id"] == "resolve") & (results["cycle"] == 1)].copy()
    cases = log.cases.set_index("case_id")
    first["made_sla"] = first["case_id"].astype(str).map(cases["made_sla"])
    first["priority"] = first["case_id"].astype(str).map(cases["priority"])
    return first


def agreement(frame: pd.DataFrame) -> float:
    return float(((frame["status"] == "met") == (frame["made_sla"] == "true")).mean() * 100)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    log, report = load_events(path, EXAMPLE / "mapping.toml", as_of=AS_OF)
    print(report.summary(), end="\n\n")
    text = (EXAMPLE / "rules.toml").read_text()
    variants = {
        "held while awaiting (the example rules)": text,
        "clock never held": text.replace('pause = "awaiting_started"\nresume = "awaiting_ended"\n', ""),
    }
    for name, rules_text in variants.items():
        v = verdicts(log, rules_text)
        closed = v[v["status"].isin(["met", "breached"])]
        judged = v[v["status"].isin(["met", "breached", "breached_open"])]
        print(f"{name}: agreement {agreement(closed):.1f}% of {len(closed):,} incidents with a resolution;"
              f" {agreement(judged):.1f}% of {len(judged):,} counting unresolved ones as missed")
        for priority, group in closed.groupby("priority"):
            print(f"  {priority:<14} {agreement(group):5.1f}% of {len(group):,}")
        ours = v["status"].astype(str).map({"met": "met", "breached": "missed", "breached_open": "missed, unresolved", "invalid": "invalid"})
        print(pd.crosstab(ours.rename("ours"), v["made_sla"].rename("made_sla"), margins=True).to_string(), end="\n\n")


if __name__ == "__main__":
    main()

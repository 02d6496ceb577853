"""Convert the UCI incident log to Simod's input event log, split 70/30 by incident, chronologically.

    python examples/uci-incident-log/to_simod.py LOG --out DIR [--train-share 0.7]
    python examples/uci-incident-log/to_simod.py LOG --print-cutoff

LOG is the readable copy (``incident_event_log_readable.zip``) or a CSV with
its header (the committed excerpt). DIR gets ``train.csv``, ``test.csv``
and ``split.json``. Simod (github.com/AutomatedProcessImprovement/Simod)
reads a CSV with one row per activity instance: ``case_id``, ``activity``,
``start_time``, ``end_time``, ``resource`` (the names are set in its
configuration's ``common.log_ids``; these are its defaults). It is not a
dependency of svcsim: this script only writes its input.

What a row is. Each UCI row is an update of an incident (its state after
the update), an instant, not a piece of work with a start. The conversion
makes one activity instance per *run* of updates in one state (repeated
updates in the same state are one instance), at the run's first update,
with ``start_time`` = ``end_time`` (the log has no start times: Simod's
waiting times are then the gaps between them), plus an ``Opened`` instance
at ``opened_at``; ``resource`` is ``assigned_to`` at that update (empty when
unassigned), the field mapping-fit.toml reads too. The two ``-100`` rows
are left out (their incident stays). Timestamps are the export's wall clock
read as UTC (the zone is not stated), written ISO 8601 with ``+00:00``.

The split is the one ``svcsim backtest --train-share 0.7`` uses
(``svcsim.backtesting.share_split``): the cutoff is the first midnight (UTC,
the zone the mapping reads) by which 70 % of the incidents had been opened;
the incidents opened before it are the training part, the others the test
part, each incident with all its rows. So train and test together
hold every incident, and no incident is in both.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SIMOD_COLUMNS", "read_uci", "to_activity_instances", "split_by_opening", "main"]

#: Simod's default column names (common.log_ids of its configuration).
SIMOD_COLUMNS: tuple[str, ...] = ("case_id", "activity", "start_time", "end_time", "resource")
NEEDED = ("number", "incident_state", "sys_updated_at", "sys_mod_count", "opened_at", "assigned_to")
FORMAT = "%d/%m/%Y %H:%M"


class ConversionError(Exception):
    """A problem with the input, told in one line."""


def read_uci(path: Path) -> pd.DataFrame:
    """The rows of the UCI export (readable header), timestamps parsed as UTC."""
    try:
        rows = pd.read_csv(path, na_values=["?"], keep_default_na=False, dtype=str)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ConversionError(f"{path}: cannot be read as the UCI export ({exc})") from None
    missing = [c for c in NEEDED if c not in rows.columns]
    if missing:
        raise ConversionError(f"{path}: no column {', '.join(missing)}; expected the readable copy's header "
                              "(the complete copy's header is damaged: see mapping-full.toml)")
    for column in ("sys_updated_at", "opened_at"):
        parsed = pd.to_datetime(rows[column], format=FORMAT, errors="coerce", utc=True)
        bad = parsed.isna() & rows[column].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 2
            raise ConversionError(f"{path}: line {row}, column {column}: {rows[column].iloc[row - 2]!r} is not a "
                                  f"timestamp; expected day-first {FORMAT}")
        rows[column] = parsed
    rows["sys_mod_count"] = pd.to_numeric(rows["sys_mod_count"], errors="coerce")
    return rows


def to_activity_instances(rows: pd.DataFrame) -> pd.DataFrame:
    """Simod's rows: ``Opened`` at opened_at, then one instance per run of updates in one state."""
    kept = rows[rows["incident_state"] != "-100"]
    kept = kept.sort_values(["number", "sys_updated_at", "sys_mod_count"], kind="stable")
    state, case = kept["incident_state"].to_numpy(), kept["number"].to_numpy()
    new_run = np.r_[True, (state[1:] != state[:-1]) | (case[1:] != case[:-1])]
    runs = kept[new_run]
    opened = rows.groupby("number", sort=False)["opened_at"].last().dropna()
    first = rows.sort_values(["number", "sys_updated_at", "sys_mod_count"], kind="stable").drop_duplicates("number")
    first_resource = first.set_index("number")["assigned_to"]
    frames = [
        pd.DataFrame({"case_id": opened.index, "activity": "Opened", "start_time": opened.to_numpy(),
                      "end_time": opened.to_numpy(), "resource": first_resource.reindex(opened.index).to_numpy()}),
        pd.DataFrame({"case_id": runs["number"].to_numpy(), "activity": runs["incident_state"].to_numpy(),
                      "start_time": runs["sys_updated_at"].to_numpy(), "end_time": runs["sys_updated_at"].to_numpy(),
                      "resource": runs["assigned_to"].to_numpy()}),
    ]
    out = pd.concat(frames, ignore_index=True)
    order = out["activity"].ne("Opened")  # Opened first within its minute
    out = out.assign(_o=order).sort_values(["case_id", "start_time", "_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def split_by_opening(rows: pd.DataFrame, train_share: float = 0.7) -> tuple[pd.Timestamp, set[str], set[str]]:
    """The cutoff and the incidents opened before it (train) and at or after it (test)."""
    if not 0.0 < train_share < 1.0:
        raise ConversionError(f"--train-share {train_share}: expected a share between 0 and 1")
    opened = rows.groupby("number")["opened_at"].min()
    if opened.isna().any():
        raise ConversionError(f"incident {opened.index[opened.isna()][0]} has no opened_at; expected one on every incident")
    ordered = opened.sort_values(kind="stable")
    moment = ordered.iloc[max(1, math.ceil(train_share * len(ordered))) - 1]
    cutoff = moment.normalize() + pd.Timedelta(days=1)   # the first midnight by which the share had opened
    train = set(ordered.index[ordered < cutoff])
    return cutoff, train, set(ordered.index) - train


def _iso(times: pd.Series) -> pd.Series:
    return times.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def main(argv: list[str] | None = None) -> int:
    """Command line: convert and split; 2 on bad input."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path, help="the readable zip or a CSV with its header")
    parser.add_argument("--out", type=Path, help="write train.csv, test.csv and split.json here")
    parser.add_argument("--train-share", type=float, default=0.7, help="share of incidents, by opening time, in train (0.7)")
    parser.add_argument("--print-cutoff", action="store_true", help="print the cutoff (ISO 8601, UTC) and nothing else")
    args = parser.parse_args(argv)
    try:
        if args.out is None and not args.print_cutoff:
            raise ConversionError("nothing to do; expected --out DIR or --print-cutoff")
        rows = read_uci(args.log)
        cutoff, train, test = split_by_opening(rows, args.train_share)
        if args.print_cutoff:
            print(cutoff.isoformat())
            return 0
        events = to_activity_instances(rows)
        args.out.mkdir(parents=True, exist_ok=True)
        for name, cases in (("train", train), ("test", test)):
            part = events[events["case_id"].isin(cases)].copy()
            part["start_time"], part["end_time"] = _iso(part["start_time"]), _iso(part["end_time"])
            part.to_csv(args.out / f"{name}.csv", index=False, columns=list(SIMOD_COLUMNS))
        summary = {"source": str(args.log), "cutoff": cutoff.isoformat(), "train_share": args.train_share,
                   "incidents": len(train) + len(test), "train_incidents": len(train), "test_incidents": len(test),
                   "train_rows": int(events["case_id"].isin(train).sum()), "test_rows": int(events["case_id"].isin(test).sum()),
                   "rows_read": len(rows), "rows_left_out_-100": int((rows["incident_state"] == "-100").sum())}
        (args.out / "split.json").write_text(json.dumps(summary, indent=2) + "\n")
        print(f"{summary['incidents']} incidents: {len(train)} opened before {cutoff.isoformat()} -> "
              f"{args.out / 'train.csv'} ({summary['train_rows']} rows), {len(test)} -> {args.out / 'test.csv'} "
              f"({summary['test_rows']} rows)")
        return 0
    except ConversionError as exc:
        print(f"to_simod.py: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

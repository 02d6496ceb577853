"""Measure the UCI desk's calendar and staffing: the figures service_desk.toml is written from.

    python examples/uci-incident-log/measure_desk.py [LOG]

LOG is the readable zip (default ../shared/data/uci-incident-log/
incident_event_log_readable.zip beside the repository) or the committed
excerpt. Prints: tickets opened per weekday (mean over the days of the log's
opening span, and median over its ordinary weekdays), the weekdays with less
than half the median (holidays), the hour-of-day profile of openings (%),
the share of incidents that wait for the user and for how long, the share
reopened, and the engineers (distinct assigned_to) at work per weekday.
Times are the export's wall clock (no zone stated; read as UTC).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

#: The readable copy: beside the repository (../shared), else /work/shared.
DEFAULT = next((p for p in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared"))
                if (p / "data/uci-incident-log").is_dir()), Path("../shared")) / "data/uci-incident-log/incident_event_log_readable.zip"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FORMAT = "%d/%m/%Y %H:%M"


def main(path: Path) -> None:
    """Print the measurements of the log at ``path``."""
    rows = pd.read_csv(path, na_values=["?"], keep_default_na=False, dtype=str)
    rows["t"] = pd.to_datetime(rows["sys_updated_at"], format=FORMAT)
    rows = rows.sort_values(["number", "t"], kind="stable")
    incidents = rows.drop_duplicates("number", keep="last")
    opened = pd.to_datetime(incidents["opened_at"], format=FORMAT)
    span = pd.date_range(opened.min().normalize(), opened.max().normalize())[:-1]  # the last day is cut short
    daily = opened.dt.normalize().value_counts().reindex(span, fill_value=0)
    print(f"{len(incidents)} incidents opened {opened.min()} .. {opened.max()}; "
          f"{len(span)} whole days counted (the last day, cut short by the export, left out)")
    weekday = daily[daily.index.day_of_week < 5]
    low = weekday[weekday < 0.5 * weekday.median()]
    print("weekdays under half the weekday median (holidays):", {str(d.date()): int(n) for d, n in low.items()},
          f"median weekday {weekday.median():.0f}, holiday factor {low.mean() / weekday.median():.2f}" if len(low) else "")
    ordinary = daily.drop(low.index)
    by_day = pd.DataFrame({"mean": daily.groupby(daily.index.day_of_week).mean(),
                           "median_ordinary": ordinary.groupby(ordinary.index.day_of_week).median()})
    by_day.index = [DAYS[i] for i in by_day.index]
    print("tickets opened per day\n" + by_day.round(1).to_string())
    hours = opened.dt.hour.value_counts().reindex(range(24), fill_value=0)
    print("hour-of-day profile of openings (%):", [round(float(x), 2) for x in 100 * hours / hours.sum()])
    print(f"opened Mon-Fri 08:00-18:00: {100 * ((opened.dt.day_of_week < 5) & opened.dt.hour.between(8, 17)).mean():.1f} %")
    state, case, t = rows["incident_state"].to_numpy(), rows["number"].to_numpy(), rows["t"].to_numpy()
    inside = state == "Awaiting User Info"
    before = np.r_[False, inside[:-1]] & np.r_[False, case[1:] == case[:-1]]
    starts, ends = np.flatnonzero(inside & ~before), np.flatnonzero(~inside & before)
    k = np.searchsorted(ends, starts)
    paired = (k < len(ends)) & (case[ends[np.minimum(k, len(ends) - 1)]] == case[starts])
    waits = (t[ends[k[paired]]] - t[starts[paired]]) / np.timedelta64(1, "h")
    quartiles = " / ".join(f"{q:.1f}" for q in np.percentile(waits, [25, 50, 75])) if len(waits) else "-"
    print(f"incidents waiting for the user: {100 * incidents['number'].isin(case[starts]).mean():.1f} %; "
          f"{len(starts)} waits, {int((~paired).sum())} still open; hours p25 / p50 / p75 {quartiles}")
    print(f"incidents reopened: {100 * (incidents['reopen_count'].astype(int) > 0).mean():.2f} %; "
          f"priority 1 or 2: {100 * incidents['priority'].str[0].isin(['1', '2']).mean():.1f} %")
    work = rows[rows["incident_state"].isin(["Active", "Resolved", "Awaiting User Info"])]
    inside_span = work[(work["t"] >= span[0]) & (work["t"] < span[-1])]
    per_day = inside_span.groupby(inside_span["t"].dt.normalize())["assigned_to"].nunique()
    engineers = per_day.groupby(per_day.index.day_of_week).median()
    print("engineers at work (distinct assigned_to on Active/Resolved/Awaiting User Info rows), median per day:",
          {DAYS[i]: float(n) for i, n in engineers.items()}, f"; {rows['assigned_to'].nunique()} in all")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)

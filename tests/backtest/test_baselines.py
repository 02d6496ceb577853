"""The two naive baselines: the last weeks replayed, and training cycle times drawn for the real arrivals."""

from __future__ import annotations

import numpy as np
import pandas as pd
from bthelpers import ZONE, log_of

from svcsim.backtesting.baselines import draw_cycle_times, replay_last_weeks, replay_weeks
from svcsim.backtesting.distances import case_arrival_distance, cycle_times_hours
from svcsim.backtesting.split import case_starts, cut, split_at


def _days(first: str, n: int, hours: int = 3) -> dict[str, list[str]]:
    """One case a day at 09:15 from ``first``, each ``hours`` long."""
    start = pd.Timestamp(first) + pd.Timedelta(hours=9, minutes=15)
    return {f"d{i}": [f"{start + pd.Timedelta(days=i)}", f"{start + pd.Timedelta(days=i, hours=hours)}"]
            for i in range(n)}


def _parts(log, date):  # noqa: ANN001, ANN202
    s = split_at(log, date, ZONE)
    return s, cut(log, None, s.until), cut(log, s.until, s.end)


def test_the_replay_moves_the_last_week_forward_a_week():
    """Three weeks of training, 6 held-out days: the last week's cases come back 7 days later, same weekday and hour."""
    log = log_of(_days("2025-03-03", 28))
    s, train, _ = _parts(log, "2025-03-24")
    assert s.days == 6 and replay_weeks(train, s) == 1
    replay = replay_last_weeks(train, s)
    starts = case_starts(replay).sort_values()
    assert len(starts) == 6  # 03-17..03-22 replayed onto 03-24..03-29; the 7th lands on the held-out end
    local = starts.dt.tz_convert(ZONE)
    assert list(local.dt.strftime("%m-%d %H:%M")) == [f"03-{d} 09:15" for d in range(24, 30)]
    assert set(cycle_times_hours(replay)) == {3.0}


def test_the_replay_knows_only_what_was_known_at_the_split():
    """A case open at the split is replayed with its events before the split only."""
    log = log_of({**_days("2025-03-03", 35), "open": ["2025-03-20 20:00", "2025-03-25 10:00"]})
    s, train, _ = _parts(log, "2025-03-24")
    assert replay_weeks(train, s) == 2
    replay = replay_last_weeks(train, s)
    mine = replay.events[replay.events["case_id"].astype(str) == "r1:open"]
    assert len(mine) == 1 and mine["timestamp"].iloc[0] == pd.Timestamp("2025-04-03 20:00", tz=ZONE)


def test_a_short_training_is_repeated_to_fill_the_held_out_period():
    """One week of training, 13 held-out days: that week twice, the second copy cut at the held-out end."""
    log = log_of(_days("2025-03-03", 21))
    s, train, held = _parts(log, "2025-03-10")
    assert replay_weeks(train, s) == 1 and s.days == 13
    replay = replay_last_weeks(train, s)
    ids = replay.cases["case_id"].astype(str)
    assert ids.str.startswith("r1:").sum() == 7 and ids.str.startswith("r2:").sum() == 6
    assert case_arrival_distance(held, replay) == 0.0  # one case a day at 09:15 either way


def test_no_replay_without_a_whole_week_of_training():
    log = log_of(_days("2025-03-03", 10))
    s, train, _ = _parts(log, "2025-03-07")
    assert replay_weeks(train, s) == 0 and replay_last_weeks(train, s) is None


def test_the_draw_keeps_the_real_arrivals_and_draws_training_cycle_times():
    """Training cycle times are 2 h and 5 h: every held-out case gets one of them, from its real arrival."""
    train_cases = {**_days("2025-03-03", 10, hours=2), **{f"long{i}": v for i, v in enumerate(_days("2025-03-03", 10, hours=5).values())}}
    log = log_of({**train_cases, **{f"h{i}": v for i, v in enumerate(_days("2025-03-17", 6, hours=1).values())}})
    s, train, held = _parts(log, "2025-03-17")
    drawn = draw_cycle_times(train, held, s, seed=1, replication=0)
    assert case_arrival_distance(held, drawn) == 0.0
    assert set(cycle_times_hours(drawn)) <= {2.0, 5.0}
    again = draw_cycle_times(train, held, s, seed=1, replication=0)
    other = [cycle_times_hours(draw_cycle_times(train, held, s, seed=1, replication=r)) for r in range(1, 6)]
    assert np.array_equal(cycle_times_hours(drawn), cycle_times_hours(again))  # one seed, one answer
    assert any(not np.array_equal(cycle_times_hours(drawn), o) for o in other)  # each replication its own draws


def test_a_drawn_cycle_time_is_cut_at_the_held_out_end_like_the_real_log():
    log = log_of({**_days("2025-03-03", 10, hours=50), "late": ["2025-03-17 22:00"], "last": ["2025-03-18 09:00"]})
    s, train, held = _parts(log, "2025-03-17")
    drawn = draw_cycle_times(train, held, s)
    assert s.days == 1 and set(cycle_times_hours(train)) == {50.0}
    assert drawn.events["timestamp"].max() < s.end  # 50 h from 03-17 22:00 is cut before 03-18 00:00

"""Utilisation per role: busy time over on-duty time, summed over the role's groups of workers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from svcsim import simulate
from svcsim.simulation.utilisation import one_group_per_role, role_utilisation


def _busy(records):
    """Busy records ``(resource, role, start, end)`` in the shape of ``run.busy``."""
    frame = pd.DataFrame(records, columns=["resource", "role", "start", "end"])
    return frame.assign(resource=frame["resource"].astype("category"), role=frame["role"].astype("category"))


def test_two_shift_groups_add_their_on_duty_time():
    """An early group of 2 (0-480) and a late group of 1 (480-960): 2 x 480 + 1 x 480 minutes on duty."""
    busy = _busy([("fe1", "field", 0.0, 240.0), ("fe2", "field", 100.0, 200.0), ("fe3", "field", 500.0, 980.0)])
    table = role_utilisation(busy, {"field": [(2, [(0.0, 480.0)]), (1, [(480.0, 960.0)])]}, end=960.0)
    row = table.iloc[0]
    assert row["staff"] == 3 and row["on_duty_minutes"] == 1440.0
    assert row["busy_minutes"] == 240.0 + 100.0 + 460.0  # clipped to the end of the window
    assert row["utilisation"] == pytest.approx(800.0 / 1440.0)


def test_a_window_after_the_warm_up_counts_only_inside_it():
    busy = _busy([("op1", "operator", 0.0, 120.0)])
    table = role_utilisation(busy, {"operator": [(1, [(0.0, 480.0)])], "admin": [(1, [])]}, begin=60.0, end=480.0)
    assert table["role"].tolist() == ["operator", "admin"]
    assert table["busy_minutes"].tolist() == [60.0, 0.0]
    assert table["on_duty_minutes"].tolist() == [420.0, 0.0]
    assert math.isnan(table["utilisation"].iloc[1])  # nobody on duty


def test_a_run_s_utilisation_is_role_utilisation_of_its_busy_records():
    run = simulate("tiny", seed=2, days=3)
    groups = one_group_per_role(run.duty, dict(zip(run.utilisation["role"], run.utilisation["staff"], strict=True)))
    end = (run.end - run.start) / pd.Timedelta(minutes=1)
    pd.testing.assert_frame_equal(role_utilisation(run.busy, groups, end=end), run.utilisation)

"""Shift groups by integer program: the cheapest roster covering every hour's requirement.

Checked on covering problems whose optimum is known by hand or from the
textbook, on a case where staggered shifts beat one long shift, and on the
groups it writes (the scenario reads them back as they are).
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.errors import InputError
from svcsim.planning import shift_groups
from svcsim.planning.shifts import ShiftOption, cover_hours, groups_of, shifted_options
from svcsim.scenario import load_scenario, with_changes
from svcsim.scenarios import mmc


def test_round_the_clock_with_eight_hour_shifts_needs_three():
    """One head on duty in every hour of a cyclic day, 8-hour shifts at any hour: 24 / 8 = 3 heads, no fewer."""
    found = cover_hours([1] * 24, [ShiftOption(s, 8) for s in range(24)])
    assert sum(found.heads) == 3 and found.cost == 3.0
    assert all(c >= 1 for c in found.covered)


def test_the_post_office_problem():
    """Winston's post office (Operations Research, ch. 3): 5 consecutive days of 7, needs 17 13 15 19 14 16 11.

    The LP optimum is 67/3 = 22.33 workers; the integer optimum is 23.
    """
    need = [17, 13, 15, 19, 14, 16, 11]
    found = cover_hours(need, [ShiftOption(day, 5) for day in range(7)])
    assert sum(found.heads) == 23
    assert all(c >= r for c, r in zip(found.covered, need, strict=True))


def test_staggered_shifts_beat_one_long_shift():
    """3 on duty 08-12, 2 from 12-16, 1 from 16-20, priced per paid hour.

    One 12-hour shift 08:00-20:00 needs 3 heads (36 paid hours); 8-hour shifts
    at 08:00 and 12:00 need 3 + 1 heads (32 paid hours). With all three
    allowed, by hand: hour 8 needs three heads starting at 08:00, and someone
    must be on at 16-20; one of the three on the 12-hour shift does it, 12 + 8
    + 8 = 28 paid hours, the optimum.
    """
    need = [0] * 8 + [3] * 4 + [2] * 4 + [1] * 4 + [0] * 4
    one = cover_hours(need, [ShiftOption(8, 12)], cost_per_head=12.0)
    staggered = cover_hours(need, [ShiftOption(8, 8), ShiftOption(12, 8)], cost_per_head=8.0)
    mixed = cover_hours(need, [ShiftOption(8, 12), ShiftOption(8, 8), ShiftOption(12, 8)],
                        cost_per_head=[12.0, 8.0, 8.0])
    assert one.heads == (3,) and one.cost == 36.0
    assert staggered.heads == (3, 1) and staggered.cost == 32.0
    assert mixed.heads == (1, 2, 0) and mixed.cost == 28.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=6, max_size=6), st.sets(st.integers(0, 5), min_size=1))
def test_the_milp_is_the_optimum_of_an_exhaustive_search(need, starts):
    """On a 6-hour cyclic day with 3-hour shifts, no roster of up to 3 heads per shift is cheaper and feasible."""
    options = [ShiftOption(s, 3) for s in sorted(starts)]
    try:
        found = cover_hours(need, options)
    except ValueError:
        assert any(n > 0 and not any(h in o.hours(6) for o in options) for h, n in enumerate(need))
        return
    assert all(c >= r for c, r in zip(found.covered, need, strict=True))
    best = min(sum(x) for x in itertools.product(range(4), repeat=len(options))
               if all(sum(x[i] for i, o in enumerate(options) if h in o.hours(6)) >= need[h] for h in range(6)))
    assert sum(found.heads) == best


def test_an_hour_no_shift_covers_is_an_error():
    """Calls at 19:00 and only a 08:00-17:00 shift: a ValueError naming the hour."""
    with pytest.raises(ValueError, match="hour 19"):
        cover_hours([0] * 19 + [1] + [0] * 4, [ShiftOption(8, 9)])


def test_a_shift_past_midnight_is_written_as_two_intervals():
    """A 22:00 shift of 8 hours is ["00:00-06:00", "22:00-24:00"], which the scenario accepts."""
    assert ShiftOption(22, 8).text() == ["00:00-06:00", "22:00-24:00"]
    assert ShiftOption(22, 8).hours() == [22, 23, 0, 1, 2, 3, 4, 5]


def test_shifted_options_are_nearest_first_and_need_whole_hours():
    """The current shift first, then one hour each way, and so on; half hours are refused in one line."""
    assert [o.start_hour for o in shifted_options(["08:00-18:00"], (-1, 0, 1))] == [8, 7, 9]
    with pytest.raises(InputError, match="08:30-17:30"):
        shifted_options(["08:30-17:30"])


def test_groups_run_as_a_scenario():
    """The groups are the scenario's own format: with_changes takes them and the role's count is their sum."""
    need = [0] * 8 + [3] * 4 + [2] * 4 + [1] * 4 + [0] * 4
    groups = groups_of(cover_hours(need, [ShiftOption(8, 8), ShiftOption(12, 8)]))
    assert groups == [{"name": "h08", "count": 3, "shift": {"hours": ["08:00-16:00"], "days": "service"}},
                      {"name": "h12", "count": 1, "shift": {"hours": ["12:00-20:00"], "days": "service"}}]
    changed = with_changes(load_scenario("baseline"), {"staffing.operators": {"groups": groups}})
    assert changed.staffing.operators.count == 4


def test_shift_groups_on_mmc_is_one_round_the_clock_group_of_erlang_c():
    """mmc is open all day with a flat profile: one 24-hour group of Erlang C's minimum operators."""
    from svcsim.analytic import min_servers

    scenario = mmc(12.0, 4.0, 3)
    hours = scenario.staffing.operators.shift.hours
    groups = shift_groups(scenario, 0.8, 1.0)
    assert groups == [{"name": "h00", "count": int(min_servers(12.0, 4.0, 0.8, t=1 / 60).servers),
                       "shift": {"hours": ["00:00-24:00"], "days": scenario.staffing.operators.shift.days}}]
    assert hours == ["00:00-24:00"]


def test_shift_groups_refuses_a_role_without_an_hourly_requirement():
    with pytest.raises(InputError, match="field_engineers"):
        shift_groups("baseline", 0.8, 1.0, role="field_engineers")

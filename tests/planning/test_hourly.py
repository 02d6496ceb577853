"""The hourly warm start: the lagged (infinite-server) offered load per hour and Erlang C on it.

Feldman, Mandelbaum, Massey and Whitt (2008) staff each hour from the load
an infinite-server queue would carry then; with exponential services it is
the periodic solution of ``m' = lambda(t) - mu m``. These tests check it
three ways: hand-computed values, the stationary answer on a constant
profile, and an invariant (over a day the infinite-server queue carries
exactly the work offered).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svcsim.analytic import erlang_c, min_servers
from svcsim.planning.hourly import hourly_offered_load, hourly_servers, operator_hourly_servers
from svcsim.scenarios import mmc


def test_erlang_c_by_hand_on_an_mmc_like_case():
    """10 calls/h of 6 minutes (a = 1 erlang), 80 % answered within 1 minute: 3 servers, not 2.

    By hand: C(2, 1) = (1/2 * 2) / (1 + 1 + 1) = 1/3, SL = 1 - e^(-10/60)/3 = 0.7178 < 0.8;
    C(3, 1) = (1/6 * 3/2) / (1 + 1 + 1/2 + 1/4) = 1/11, SL = 1 - e^(-20/60)/11 = 0.9349.
    """
    assert float(erlang_c(10.0, 10.0, 2).service_level(1 / 60)) == pytest.approx(1 - math.exp(-10 / 60) / 3)
    assert float(erlang_c(10.0, 10.0, 3).service_level(1 / 60)) == pytest.approx(1 - math.exp(-20 / 60) / 11)
    found = hourly_servers([10.0] * 24, 10.0, 0.8, 1 / 60)
    assert found.servers == (3,) * 24
    assert found.offered_load_erlangs == pytest.approx((1.0,) * 24)


def test_a_step_in_the_profile_lags_by_the_service_time():
    """30 calls/h of 10 minutes from 08:00 to 20:00, none at night: the first busy hour carries less than 5 erlangs.

    By hand, from m(8:00) = 5 e^(-72) ~ 0 (12 quiet hours at mu = 6/h):
    hour 8 averages 5 - 5 (1 - e^-6) / 6 = 4.1687, hour 9 starts at
    5 (1 - e^-6) and averages 5 - 5 e^-6 (1 - e^-6) / 6 = 4.99794; the
    first quiet hour, 20:00, still carries 5 (1 - e^-6) / 6 = 0.8313 erlangs
    of calls in service but needs nobody rostered (no call arrives in it).
    """
    rates = [0.0] * 8 + [30.0] * 12 + [0.0] * 4
    loads = hourly_offered_load(rates, 6.0)
    decay = math.exp(-6.0)
    assert loads[8] == pytest.approx(5 - 5 * (1 - decay) / 6, rel=1e-9)
    assert loads[9] == pytest.approx(5 - 5 * decay * (1 - decay) / 6, rel=1e-9)
    assert loads[20] == pytest.approx(5 * (1 - decay) / 6, rel=1e-9)
    found = hourly_servers(rates, 6.0, 0.8, 20 / 3600)
    assert found.servers[20] == 0 and found.servers[7] == 0
    assert found.servers[8] == int(min_servers(loads[8] * 6.0, 6.0, 0.8, t=20 / 3600).servers)
    assert found.servers[8] <= found.servers[9]
    assert found.servers[10] == int(min_servers(30.0, 6.0, 0.8, t=20 / 3600).servers)


@pytest.mark.parametrize(("lam", "mu", "share", "seconds"), [(10.0, 10.0, 0.8, 60), (40.0, 6.0, 0.9, 20),
                                                             (3.0, 2.0, 0.7, 300)])
def test_a_constant_profile_gives_the_stationary_answer(lam, mu, share, seconds):
    """With the same rate in every hour, each hour needs exactly Erlang C's stationary minimum."""
    found = hourly_servers([lam] * 24, mu, share, seconds / 3600)
    assert set(found.servers) == {int(min_servers(lam, mu, share, t=seconds / 3600).servers)}


def test_on_mmc_the_operators_need_the_stationary_minimum():
    """``svcsim.scenarios.mmc`` has a flat profile: its operators need Erlang C's minimum in every hour."""
    found = operator_hourly_servers(mmc(12.0, 4.0, 3), 0.8, 1 / 60)
    assert found.model == "erlang_c"
    assert set(found.servers) == {int(min_servers(12.0, 4.0, 0.8, t=1 / 60).servers)}


def test_exponential_patience_uses_erlang_a():
    """Callers who hang up (Erlang A) need no more servers than patient ones (Erlang C)."""
    rates = [0.0] * 8 + [20.0, 30.0, 30.0, 25.0] + [0.0] * 12
    patient = hourly_servers(rates, 6.0, 0.8, 20 / 3600)
    hanging_up = hourly_servers(rates, 6.0, 0.8, 20 / 3600, abandon_rate_per_hour=20.0)
    assert hanging_up.model == "erlang_a"
    assert all(a <= c for a, c in zip(hanging_up.servers, patient.servers, strict=True))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 200, allow_nan=False), min_size=24, max_size=24),
       st.floats(0.2, 60, allow_nan=False))
def test_over_a_day_the_load_carried_is_the_work_offered(rates, mu):
    """sum_h m_h = sum_h lambda_h / mu: the periodic infinite-server queue carries every hour of work offered."""
    loads = hourly_offered_load(rates, mu)
    assert all(m >= -1e-9 for m in loads)
    assert sum(loads) == pytest.approx(sum(rates) / mu, rel=1e-9, abs=1e-9)


def test_bad_input_is_refused():
    """A negative rate, a zero service rate or a share of 1 is a ValueError naming the argument."""
    with pytest.raises(ValueError, match="calls_per_hour"):
        hourly_offered_load([-1.0] * 24, 1.0)
    with pytest.raises(ValueError, match="service_rate"):
        hourly_offered_load([1.0] * 24, 0.0)
    with pytest.raises(ValueError, match="share"):
        hourly_servers([1.0] * 24, 1.0, 1.0, 0.1)

"""The empirical duration family: ``{ dist = "empirical", quantiles = [...] }`` works wherever a Dist works.

Values at equally spaced probabilities, a piecewise-linear inverse CDF,
one uniform per draw; validated with clear messages; written to and read
from TOML; pickled for multiprocess runs; converted from days to minutes.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from svcsim.planning.toml_out import scenario_toml
from svcsim.scenario import load_scenario
from svcsim.scenario.distribution import Dist
from svcsim.scenario.empirical import Empirical
from svcsim.simulation.draws import in_minutes

QUANTILES = [2.0, 4.0, 4.0, 10.0, 30.0]  # an atom at 4 (probabilities 1/4 to 1/2)


def test_each_draw_is_the_inverse_cdf_of_one_uniform():
    frozen = Dist(dist="empirical", quantiles=QUANTILES).frozen()
    draws = frozen.rvs(1000, random_state=np.random.default_rng(5))
    uniforms = np.random.default_rng(5).random(1000)
    np.testing.assert_array_equal(draws, np.interp(uniforms, np.linspace(0, 1, 5), QUANTILES))
    assert draws.min() >= 2.0 and draws.max() <= 30.0


def test_mean_median_ppf_and_cdf():
    """The mean is the average of the intervals' midpoints; ppf and cdf invert each other off the atom."""
    dist = Dist(dist="empirical", quantiles=QUANTILES)
    frozen = dist.frozen()
    assert dist.mean() == pytest.approx((3.0 + 4.0 + 7.0 + 20.0) / 4)
    assert frozen.median() == 4.0 and frozen.ppf(0.875) == pytest.approx(20.0)
    assert frozen.cdf(4.0) == 0.5 and frozen.cdf(3.0) == pytest.approx(0.125) and frozen.cdf(1.0) == 0.0
    assert frozen.cdf(30.0) == 1.0 and frozen.sf(10.0) == pytest.approx(0.25)
    p = np.array([0.1, 0.6, 0.99])
    np.testing.assert_allclose(frozen.cdf(frozen.ppf(p)), p)
    draws = frozen.rvs(200_000, random_state=np.random.default_rng(1))
    assert draws.mean() == pytest.approx(dist.mean(), rel=0.01)


@settings(max_examples=60, deadline=None)
@given(quantiles=st.lists(st.floats(0, 1e4, allow_nan=False, allow_subnormal=False), min_size=2, max_size=30).map(sorted),
       p=st.floats(0, 1))
def test_the_cdf_undoes_the_ppf(quantiles, p):
    frozen = Empirical(quantiles)
    x = frozen.ppf(p)
    assert quantiles[0] <= x <= quantiles[-1]
    assert frozen.cdf(x) >= p - 1e-9  # a right-continuous CDF: at least p at the p-quantile
    assert quantiles[0] <= float(frozen.mean()) <= quantiles[-1]


@pytest.mark.parametrize(("quantiles", "message"), [
    ([5.0], "has 1 quantile; expected at least 2"),
    ([1.0, float("inf")], "quantile 1 is inf; expected a finite number"),
    ([-1.0, 2.0], "quantile 0 is -1.0; expected a non-negative duration"),
    ([1.0, 3.0, 2.0], "quantile 2 is 2.0, below quantile 1 \\(3.0\\); expected non-decreasing values"),
    ("1, 2", "expected a list of at least 2 numbers"),
    ([1.0, "x"], "quantile 1 is 'x'; expected a finite number"),
])
def test_bad_quantiles_say_what_is_wrong(quantiles, message):
    with pytest.raises(ValidationError, match=message):
        Dist(dist="empirical", quantiles=quantiles)


def test_missing_or_foreign_parameters_are_refused():
    with pytest.raises(ValidationError, match="empirical takes quantiles"):
        Dist(dist="empirical")
    with pytest.raises(ValidationError, match="given: quantiles, s"):
        Dist(dist="empirical", quantiles=[1.0, 2.0], s=0.5)


def test_a_scenario_file_with_an_empirical_duration_loads_and_names_the_field_of_a_mistake(tmp_path):
    good = tmp_path / "center.toml"
    good.write_text('extends = "baseline"\n[times]\nrepair = { dist = "empirical", quantiles = [20, 40, 60, 120] }\n')
    assert load_scenario(good).times.repair.mean() == pytest.approx((30 + 50 + 90) / 3)
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "baseline"\n[times]\nrepair = { dist = "empirical", quantiles = [20, 10] }\n')
    with pytest.raises(Exception, match=r"bad.toml: field 'times.repair': empirical quantile 1 is 10") as caught:
        load_scenario(bad)
    assert "\n" not in str(caught.value)


def test_it_round_trips_through_plan_toml_and_pickles(tmp_path):
    base = load_scenario("baseline")
    dist = Dist(dist="empirical", quantiles=[1, 2.5, 7, 7, 19.25])
    spares = base.spares.model_copy(update={"unit_turnaround": dist})
    scenario = type(base).model_validate({**base.model_dump(), "spares": spares.model_dump(),
                                          "times": {**base.times.model_dump(), "repair": dist.model_dump()}})
    text = scenario_toml(scenario)  # raises if the text does not read back as the scenario
    assert 'quantiles = [1.0, 2.5, 7.0, 7.0, 19.25]' in text
    (tmp_path / "plan.toml").write_text(text)
    assert load_scenario(tmp_path / "plan.toml").times.repair == dist
    assert pickle.loads(pickle.dumps(scenario)) == scenario
    frozen = dist.frozen()
    back = pickle.loads(pickle.dumps(frozen))
    np.testing.assert_array_equal(back.rvs(50, random_state=np.random.default_rng(3)),
                                  frozen.rvs(50, random_state=np.random.default_rng(3)))


def test_days_convert_to_minutes_like_any_family():
    """in_minutes scales every family's scale and loc: the empirical's values become minutes."""
    minutes = in_minutes(Dist(dist="empirical", quantiles=[3.0, 10.0, 20.0]))
    assert minutes.support() == (3.0 * 1440, 20.0 * 1440)
    assert float(minutes.mean()) == pytest.approx(10.75 * 1440)


def test_a_short_run_draws_from_it():
    """A scenario whose on-site repair is empirical runs, and its repair sampler draws inside the quantiles."""
    from svcsim import simulate
    from svcsim.simulation.draws import draws
    from svcsim.streams import Streams

    base = load_scenario("baseline")
    repair = Dist(dist="empirical", quantiles=[50.0, 55.0, 70.0])
    scenario = base.model_copy(update={"times": base.times.model_copy(update={"repair": repair})})
    sampler = draws(scenario, Streams(seed=1, replication=0)).field.repair
    repairs = [sampler() for _ in range(500)]
    assert min(repairs) >= 50.0 and max(repairs) <= 70.0 and len(set(repairs)) == 500
    run = simulate(scenario, days=3, warmup_days=0, seed=1)
    assert len(run.log) > 0

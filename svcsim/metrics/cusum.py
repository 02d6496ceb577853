"""The Poisson CUSUM (Lucas 1985) and its threshold for a stated in-control average run length.

A Poisson CUSUM for counts ``x_t`` with in-control mean ``mu0`` per period,
tuned to detect the mean multiplied by ``shift``, is, in count units,
``S_t = max(0, S_{t-1} + x_t - k)`` with reference value
``k = mu0 (shift - 1) / ln(shift)``; it signals when ``S_t > h``. With a mean
that varies from period to period the same statistic is written as a
log-likelihood ratio, ``C_t = max(0, C_{t-1} + x_t ln(shift) - mu0_t (shift - 1))``
(``C = S ln(shift)`` when ``mu0`` is constant), which
:func:`svcsim.metrics.batches.batch_flags` uses.

The average run length (ARL, periods until a signal) of a given ``h`` is
computed by the Markov-chain approximation of Brook & Evans (1972): the
statistic is rounded to a grid of ``states`` values below ``h``, the
transition probabilities are Poisson, and the ARL from a zero start is the
first element of ``(I - R)^{-1} 1`` (400 states: within 2 % of a Monte Carlo
run of the CUSUM at the means we tried, 0.5 to 47 a period). :func:`cusum_threshold` finds the ``h``
whose in-control ARL is a target by bisection. Both are tested against a
Monte Carlo run of the CUSUM itself (``tests/metrics/test_batches.py``).

References: J. M. Lucas, "Counted data CUSUM's", Technometrics 27 (1985)
129-144; D. Brook and D. A. Evans, "An approach to the probability
distribution of CUSUM run length", Biometrika 59 (1972) 539-549.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["reference_value", "cusum_arl", "cusum_threshold"]


def reference_value(mu0: float, shift: float) -> float:
    """Lucas's reference value ``k = mu0 (shift - 1) / ln(shift)``, in counts per period."""
    if not shift > 1:
        raise ValueError(f"shift {shift!r}; expected a ratio > 1")
    return mu0 * (shift - 1.0) / math.log(shift)


def _poisson_pmf(x: np.ndarray, mu: float) -> np.ndarray:
    """Poisson probabilities of the counts ``x`` (no scipy.stats: it takes seconds to import)."""
    if mu <= 0:
        return (x == 0).astype(float)
    log_factorial = np.array([math.lgamma(v + 1.0) for v in x.tolist()])
    return np.exp(x * math.log(mu) - mu - log_factorial)


def cusum_arl(mu0: float, shift: float, h: float, *, mu: float | None = None, states: int = 400) -> float:
    """Average run length (periods, zero start) of the count-unit Poisson CUSUM with threshold ``h``.

    ``mu`` is the true mean per period (default ``mu0``: the in-control ARL).
    Brook & Evans's chain on ``states`` grid points ``0, h/states, ...``: a
    count ``x`` moves the statistic by ``round((x - k) / width)`` grid steps,
    whatever the state, so the transition matrix is Toeplitz except for its
    first column (every step below zero lands on zero). ``(I - R) L = 1`` is
    then solved as a Toeplitz system (Levinson, O(states^2), no BLAS threads)
    with a rank-one correction for that column (Sherman-Morrison).
    """
    from scipy.linalg import solve_toeplitz

    mu = mu0 if mu is None else mu
    k = reference_value(mu0, shift)
    if h <= 0:  # a signal on the first count above k: a geometric run length
        x = np.arange(int(math.floor(k)) + 1)
        above = 1.0 - float(_poisson_pmf(x, mu).sum())
        return 1.0 / above if above > 0 else math.inf
    width = h / states
    x = np.arange(int(math.ceil(h + k)) + 2)
    pmf = _poisson_pmf(x, mu)
    step = np.clip(np.rint((x - k) / width), -states, states).astype(np.int64)  # beyond: zero or a signal
    reach = (step > -states) & (step < states)
    by_step = np.zeros(2 * states - 1)  # P(step = d), d = -(states - 1) .. states - 1
    np.add.at(by_step, step[reach] + states - 1, pmf[reach])
    order = np.argsort(step, kind="stable")
    cumulative = np.concatenate([[0.0], np.cumsum(pmf[order])])
    below = cumulative[np.searchsorted(step[order], -np.arange(states), side="left")]  # P(step < -i)
    column = -by_step[states - 1::-1].copy()  # B[i, 0] = -P(step = -i)
    row = -by_step[states - 1:].copy()  # B[0, j] = -P(step = j)
    column[0] += 1.0
    row[0] += 1.0
    solved = solve_toeplitz((column, row), np.column_stack([np.ones(states), below]))
    ones, lifted = solved[:, 0], solved[:, 1]
    arl = float(ones[0] + lifted[0] * ones[0] / (1.0 - lifted[0]))
    return arl if math.isfinite(arl) and arl >= 1.0 else math.inf  # past 1e15 the solve loses all digits


def cusum_threshold(mu0: float, shift: float, arl0: float, *, states: int = 400) -> float:
    """The threshold ``h`` (count units) whose in-control ARL (periods) is ``arl0``.

    ``log ARL`` is close to linear in ``h``, so a safeguarded secant on it
    (kept inside a bracket) needs a handful of chain solves, not the forty of
    a bisection; the answer is within 1 % of ``arl0`` in ARL.
    """
    if not arl0 > 1:
        raise ValueError(f"in-control ARL {arl0!r}; expected more than 1 period")
    if not mu0 > 0:
        raise ValueError(f"in-control mean {mu0!r}; expected a count > 0 per period")
    goal = math.log(arl0)
    if cusum_arl(mu0, shift, 0.0) >= arl0:
        return 0.0  # a large mean: one count above k is already rarer than the target

    def gap(h: float) -> float:
        arl = cusum_arl(mu0, shift, h, states=states)
        return (math.log(arl) if math.isfinite(arl) else 80.0) - goal

    low, high = 0.0, 1.0
    g_low, g_high = -goal, gap(high)
    while g_high < 0:
        low, g_low, high = high, g_high, 2.0 * high
        g_high = gap(high)
    for _ in range(60):
        if abs(g_high) < 0.01 or high - low < 1e-4 * high:
            break
        guess = high - g_high * (high - low) / (g_high - g_low)
        if not low < guess < high:
            guess = 0.5 * (low + high)
        g = gap(guess)
        if g < 0:
            low, g_low = guess, g
        else:
            high, g_high = guess, g
    return high

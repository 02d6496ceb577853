"""How fast is fitting one duration with right-censoring, on a million values?

Usage::

    python benchmarks/fit_durations_bench.py [--values 1000000] [--censored 0.2] [--repeat 5] [--seed 0]

In one process: ``--values`` lognormal durations (s 0.6, median 14), each
started at a uniform time over a log window and censored at the window's
end if still open, the window chosen so that about ``--censored`` of them
are. Then ``svcsim.fitting.fit_duration(values, censored)`` with its
defaults (four families, 200 bootstrap resamples, seed 0) is timed:
median of ``--repeat`` runs after one untimed run (which imports scipy)
and a garbage collection each. For scale, scipy's own
``scipy.stats.lognorm.fit(CensoredData(...), floc=0)`` is timed once on
20,000 of the values (``--no-scipy`` skips it). The last line printed is
JSON with ``values``, ``censored_share``, ``fit_s`` (median), ``fit_runs_s``,
``median`` (the fitted median against ``true_median``), ``family`` and
``scipy_20000_s``.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time

import numpy as np

from svcsim.fitting import fit_duration

S, MEDIAN = 0.6, 14.0


def censored_durations(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` lognormal durations, censored by the end of a log window that leaves about ``share`` open."""
    rng = np.random.default_rng(seed)
    x = MEDIAN * np.exp(S * rng.standard_normal(n))
    u = rng.random(n)  # start = u * window
    low, high = 1.0, 1e6  # the open share falls as the window grows: bisect on it
    for _ in range(60):
        window = (low * high) ** 0.5
        if np.mean(u * window + x > window) > share:
            low = window
        else:
            high = window
    censored = u * window + x > window
    return np.where(censored, window * (1.0 - u), x), censored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--censored", type=float, default=0.2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-scipy", action="store_true")
    args = parser.parse_args()

    x, c = censored_durations(args.values, args.censored, args.seed)
    print(f"{len(x):,} lognormal durations (s {S}, median {MEDIAN}), {c.mean():.1%} censored")
    fitted = fit_duration(x, c)  # imports scipy
    runs = []
    for _ in range(args.repeat):
        gc.collect()
        start = time.perf_counter()
        fitted = fit_duration(x, c)
        runs.append(time.perf_counter() - start)
    fit_s = statistics.median(runs)
    print(f"fit_duration: {fit_s:.3f} s (median of {args.repeat}: {', '.join(f'{r:.3f}' for r in runs)})")
    print(f"  {fitted.family} {fitted.params}, median {fitted.median:.3f} "
          f"(95 % {fitted.median_interval[0]:.3f}-{fitted.median_interval[1]:.3f}; true {MEDIAN})")
    for note in fitted.notes:
        print(f"  {note}")
    scipy_s = None
    if not args.no_scipy:
        import scipy.stats

        rng = np.random.default_rng(args.seed + 1)
        pick = rng.choice(len(x), 20_000, replace=False)
        data = scipy.stats.CensoredData(uncensored=x[pick][~c[pick]], right=x[pick][c[pick]])
        start = time.perf_counter()
        scipy.stats.lognorm.fit(data, floc=0)
        scipy_s = time.perf_counter() - start
        print(f"scipy.stats.lognorm.fit(CensoredData, floc=0) on 20,000 of them, once: {scipy_s:.3f} s")
    print(json.dumps({"values": len(x), "censored_share": round(float(c.mean()), 4), "fit_s": round(fit_s, 4),
                      "fit_runs_s": [round(r, 4) for r in runs], "family": fitted.family,
                      "median": round(fitted.median, 4), "true_median": MEDIAN,
                      "scipy_20000_s": None if scipy_s is None else round(scipy_s, 4)}))


if __name__ == "__main__":
    main()

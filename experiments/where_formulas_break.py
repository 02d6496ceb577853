"""Where the queueing formulas break: an hour-of-day profile, and field travel.

Two studies on variants of the built-in ``baseline`` scenario (made with
``svcsim.scenario.with_changes``), each changing only what is needed to
isolate one broken assumption; everything measured from the event log.

1. **Non-stationary demand.** The baseline's phone queue with exponential
   handle times of the same mean and patient callers, so the hour-of-day
   profile (and the day-of-week volumes and the 08:00-18:00 shift) is the only
   departure from M/M/c. Per hour of the day: the simulated P(wait > 0),
   mean wait and P(answered within 20 s), against Erlang C with the daily
   average rate (calls per service day over the 10 open hours) and with the
   hour's own rate (the stationary-independent-period approximation).
   Run with the baseline's 6 operators and with 4.
2. **Field travel.** Field engineers as one around-the-clock queue (one
   shared pool, plentiful operators and dispatchers, instant dispatch, no
   repeat faults, parts from an unlimited store): jobs wait for a free
   engineer from ``ticket_logged`` to ``dispatched``. Erlang C staffing for
   "80 % of jobs get an engineer within 30 minutes" with the on-site time
   alone (diagnosis + fix) and with the travel time added, then each staffing
   simulated. The shares of travel in the full baseline's field visits come
   from one run of the unchanged baseline.

Parts coupling (a job that waits for a spare holds its ticket open while the
engineer is free; stock and staffing interact) is described in
docs/explanation/validation.md, not simulated here.

    python experiments/where_formulas_break.py           # the full study (~2 min)
    python experiments/where_formulas_break.py --quick   # a small run

Writes ``tables/formulas_break_{hourly,field}.{csv,md}`` and
``figures/formulas_break_{hourly,field}.png`` under ``docs/explanation``
(or ``--out``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _queue_stats import call_times, queue_metrics, t_interval  # noqa: E402

from svcsim.analytic import erlang_c, min_servers  # noqa: E402
from svcsim.scenario import Dist, expon_minutes, load_scenario, with_changes  # noqa: E402
from svcsim.simulation import simulate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "explanation"
TARGET_HOURS = 20.0 / 3600.0  # 20 seconds, as in erlang_validation.py
SEED = 4711
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAY = {"hours": ["00:00-24:00"], "days": "every"}


# -- 1. the hour-of-day profile ---------------------------------------------------------
def phone_scenario(operators: int):  # noqa: ANN201 - a Scenario
    """The baseline with exponential handle times (same mean) and callers who never hang up."""
    base = load_scenario("baseline")
    return with_changes(base, {
        "name": f"baseline-phone-mmc-{operators}",
        "times.handle": expon_minutes(base.times.handle.mean()),
        "patience": "none",
        "staffing.operators": operators,
    })


def hourly_study(operators: int, replications: int, seed: int = SEED) -> pd.DataFrame:
    """One row per hour of the day with calls: simulated figures (95 % CI) and the two formulas."""
    scenario = phone_scenario(operators)
    mu = 60.0 / scenario.times.handle.mean()
    per_rep: list[pd.DataFrame] = []
    counts = np.zeros(24)
    duty_days, duty_hours, outside = 0, 0.0, 0
    for rep in range(replications):
        # cold (warmup_days=0): the phone queue empties every night, so it needs no warm-up,
        # and the study's calls are the horizon's own (baseline's 150 days are for the spares)
        run = simulate(scenario, seed=seed, replication=rep, warmup_days=0)
        calls = call_times(run.events, run.start)
        # calls received while the operators are on duty (08:00-18:00 on service days);
        # the few others (repeat faults reported at night or at weekends) wait for the next
        # shift, which no stationary formula describes: they are counted, not studied
        duty = np.array(run.duty["operators"]) / 60.0
        slot = np.searchsorted(duty[:, 1], calls["received"].to_numpy(), side="right")
        on_duty = (slot < len(duty)) & (calls["received"].to_numpy() >= duty[np.minimum(slot, len(duty) - 1), 0])
        outside += int((~on_duty).sum())
        calls = calls[on_duty]
        duty_days += len(duty)
        duty_hours += float((duty[:, 1] - duty[:, 0]).sum())
        hour = np.floor(calls["received"] % 24.0).astype(int)
        counts += np.bincount(hour, minlength=24)
        rows = []
        for h in sorted(hour.unique()):
            sel = calls[hour == h]
            # every hour's calls of the run (the queue starts empty each morning: no warm-up)
            rows.append({"hour": int(h), **queue_metrics(sel, TARGET_HOURS, (-np.inf, np.inf))})
        per_rep.append(pd.DataFrame(rows).assign(replication=rep))
    reps = pd.concat(per_rep, ignore_index=True)
    rate = counts / duty_days  # calls per hour in that hour of a service day
    daily_rate = counts.sum() / duty_hours  # the daily average: calls per on-duty hour
    daily = erlang_c(daily_rate, mu, operators)
    out = []
    for h, group in reps.groupby("hour"):
        hour_formula = erlang_c(rate[h], mu, operators)
        row = {"operators": operators, "hour": int(h), "arrival_rate": rate[h], "daily_rate": daily_rate,
               "service_rate": mu, "load": rate[h] / (operators * mu), "daily_load": daily_rate / (operators * mu),
               "replications": replications, "censored": int(group["censored"].sum()),
               "calls_off_duty": outside}
        for metric, own, avg in (
            ("p_wait", hour_formula.p_wait, daily.p_wait),
            ("mean_wait", hour_formula.mean_wait, daily.mean_wait),
            ("sl_served", hour_formula.service_level(TARGET_HOURS), daily.service_level(TARGET_HOURS)),
        ):
            mean, half = t_interval(group[metric])
            row.update({f"{metric}_sim": mean, f"{metric}_hw": half,
                        f"{metric}_hour_formula": float(own), f"{metric}_daily_formula": float(avg)})
        out.append(row)
    return pd.DataFrame(out)


# -- 2. field travel ----------------------------------------------------------------------
def field_scenario(engineers: int, jobs_per_hour: float, days: int):  # noqa: ANN201 - a Scenario
    """Field engineers as one around-the-clock queue; everything else out of the way."""
    base = load_scenario("baseline")
    plenty = {"count": 60, "shift": ALL_DAY}
    return with_changes(base, {
        "name": f"baseline-field-queue-{engineers}",
        "horizon_days": days,
        "calendar.country": "none",
        "calendar.hours": {d: ["00:00-24:00"] for d in WEEK},
        "demand.calls_per_day": dict.fromkeys(WEEK, 24.0 * jobs_per_hour),
        "demand.hourly_profile": [1.0] * 24,
        "demand.mix": {"field": 1.0},
        "staffing.operators": plenty,
        "staffing.dispatchers": plenty,
        "staffing.field_engineers": {"count": engineers, "shared": True, "shift": ALL_DAY},
        "times.dispatch": Dist(dist="uniform", loc=0.0, scale=0.001),
        "probabilities.in_warranty": 1.0,
        "probabilities.doa_unit": 0.0,  # no sales in this variant, so no products sold to die at first use
        "probabilities.fix_fails_software": 0.0,
        "probabilities.fix_fails_hardware": 0.0,
        "patience": "none",
        "spares.store": "unlimited",  # no stock-outs: travel is the one thing left out
    })


def visit_minutes(scenario) -> dict[str, float]:  # noqa: ANN001
    """Mean minutes of one visit by part, from the scenario's distributions (what a planner has)."""
    t, p = scenario.times, scenario.probabilities
    zones = scenario.demand.zones
    total = sum(zones.values())
    travel = sum(share / total * t.travel[z].mean() for z, share in zones.items())
    fix = p.software_fault * t.software_fix.mean() + (1 - p.software_fault) * t.repair.mean()
    return {"on_site": t.diagnosis.mean() + fix, "travel": travel}


def field_study(jobs_per_hour: float, replications: int, days: int, target: float = 0.8,
                within_hours: float = 0.5, seed: int = SEED) -> tuple[pd.DataFrame, dict[str, float]]:
    """Erlang C staffing without and with travel, and the simulated service level of each staffing."""
    minutes = visit_minutes(field_scenario(1, jobs_per_hour, days))
    mu_on_site = 60.0 / minutes["on_site"]
    mu_visit = 60.0 / (minutes["on_site"] + minutes["travel"])
    plan = {
        "on_site_minutes": minutes["on_site"], "travel_minutes": minutes["travel"],
        "servers_on_site_only": int(min_servers(jobs_per_hour, mu_on_site, target, t=within_hours).servers),
        "servers_with_travel": int(min_servers(jobs_per_hour, mu_visit, target, t=within_hours).servers),
    }
    rows = []
    low, high = plan["servers_on_site_only"], plan["servers_with_travel"] + 1
    for c in range(low, high + 1):
        scenario = field_scenario(c, jobs_per_hour, days)
        sl, wait, util, censored = [], [], [], 0
        for rep in range(replications):
            # cold, with the first judged day cut below: an unlimited store needs no 150-day warm-up
            run = simulate(scenario, seed=seed, replication=rep, warmup_days=0)
            first = _first(run.events, run.start, ("ticket_logged", "dispatched"))
            sel = first[first["ticket_logged"] >= 24.0]  # the first day is the warm-up
            waited = (sel["dispatched"] - sel["ticket_logged"]).to_numpy()
            censored += int(np.isnan(waited).sum())
            # a job not yet dispatched at the horizon has waited at least until then
            waited = np.where(np.isnan(waited), 24.0 * days - sel["ticket_logged"].to_numpy(), waited)
            sl.append(float(np.mean(waited <= within_hours)))
            wait.append(float(np.mean(waited)))
            u = run.utilisation.set_index("role").loc["field_engineers", "utilisation"]
            util.append(float(u))
        sl_mean, sl_half = t_interval(sl)
        w_mean, w_half = t_interval(wait)
        u_mean, _ = t_interval(util)
        on_site, visit = erlang_c(jobs_per_hour, mu_on_site, c), erlang_c(jobs_per_hour, mu_visit, c)
        rows.append({
            "engineers": c, "jobs_per_hour": jobs_per_hour, "replications": replications, "days": days,
            "sl_sim": sl_mean, "sl_hw": sl_half, "mean_wait_sim": w_mean, "mean_wait_hw": w_half,
            "utilisation_sim": u_mean, "not_dispatched_at_end": censored,
            "sl_formula_on_site": float(on_site.service_level(within_hours)),
            "sl_formula_with_travel": float(visit.service_level(within_hours)),
            "mean_wait_formula_on_site": float(on_site.mean_wait),
            "mean_wait_formula_with_travel": float(visit.mean_wait),
            "occupancy_on_site": float(on_site.occupancy), "occupancy_with_travel": float(visit.occupancy),
        })
    return pd.DataFrame(rows), plan


def baseline_travel_share(seed: int = SEED) -> dict[str, float]:
    """From one run of the unchanged baseline (warm, as by default): mean travel and on-site minutes of a visit."""
    run = simulate("baseline", seed=seed)
    first = _first(run.events, run.start, ("dispatched", "arrived_on_site", "completed"))
    first = first.dropna()
    travel = 60.0 * (first["arrived_on_site"] - first["dispatched"])
    on_site = 60.0 * (first["completed"] - first["arrived_on_site"])
    util = run.utilisation.set_index("role").loc["field_engineers", "utilisation"]
    return {"visits": len(first), "travel_minutes": float(travel.mean()), "on_site_minutes": float(on_site.mean()),
            "travel_share": float(travel.mean() / (travel.mean() + on_site.mean())),
            "field_utilisation": float(util)}


def _first(events: pd.DataFrame, start: pd.Timestamp, activities: tuple[str, ...]) -> pd.DataFrame:
    """First time (hours since ``start``) of each activity per case, cases with the first one only."""
    codes = events["case_id"].cat.codes.to_numpy()
    hours = (events["timestamp"].array.asi8 - pd.Timestamp(start).value) / 3.6e12
    n = int(codes.max()) + 1
    data = {}
    for name in activities:
        mask = (events["activity"] == name).to_numpy()
        first = np.full(n, np.inf)
        np.minimum.at(first, codes[mask], hours[mask])
        data[name] = np.where(np.isinf(first), np.nan, first)
    frame = pd.DataFrame(data)
    return frame[frame[activities[0]].notna()].reset_index(drop=True)


# -- output -------------------------------------------------------------------------------
def hourly_markdown(table: pd.DataFrame) -> str:
    lines = ["| operators | hour | calls/h | load | P(wait) sim | P(wait) hour formula | P(wait) daily formula "
             "| mean wait sim (min) | hour formula | daily formula |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in table.itertuples():
        lines.append(
            f"| {r.operators} | {r.hour:02d}:00 | {r.arrival_rate:.1f} | {r.load:.2f} "
            f"| {r.p_wait_sim:.3f} ± {r.p_wait_hw:.3f} | {r.p_wait_hour_formula:.3f} | {r.p_wait_daily_formula:.3f} "
            f"| {60 * r.mean_wait_sim:.2f} ± {60 * r.mean_wait_hw:.2f} | {_minutes(r.mean_wait_hour_formula)} "
            f"| {_minutes(r.mean_wait_daily_formula)} |")
    return "\n".join(lines) + "\n"


def _minutes(hours: float) -> str:
    return "unstable" if not np.isfinite(hours) else f"{60 * hours:.2f}"


def field_markdown(table: pd.DataFrame) -> str:
    lines = ["| engineers | utilisation sim | within 30 min: sim | formula, on-site only | formula, with travel "
             "| mean wait sim (h) | formula with travel (h) |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in table.itertuples():
        wait = r.mean_wait_formula_with_travel
        lines.append(
            f"| {r.engineers} | {r.utilisation_sim:.3f} | {r.sl_sim:.3f} ± {r.sl_hw:.3f} | {r.sl_formula_on_site:.3f} "
            f"| {r.sl_formula_with_travel:.3f} | {r.mean_wait_sim:.2f} ± {r.mean_wait_hw:.2f} "
            f"| {'unstable' if not np.isfinite(wait) else f'{wait:.2f}'} |")
    return "\n".join(lines) + "\n"


def figures(hourly: pd.DataFrame, field: pd.DataFrame, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    ops = sorted(hourly["operators"].unique())
    fig, axes = plt.subplots(1, len(ops), figsize=(5.2 * len(ops), 3.8), squeeze=False)
    for ax, c in zip(axes[0], ops, strict=True):
        part = hourly[hourly["operators"] == c]
        ax.errorbar(part["hour"] + 0.5, part["p_wait_sim"], yerr=part["p_wait_hw"], fmt="o", ms=4, capsize=2,
                    color="black", label="simulated (95 % CI)")
        hours = np.append(part["hour"].to_numpy(), part["hour"].max() + 1)
        ax.step(hours, np.append(part["p_wait_hour_formula"].to_numpy(), part["p_wait_hour_formula"].iloc[-1]),
                where="post", color="tab:orange", label="Erlang C, the hour's own rate")
        ax.axhline(part["p_wait_daily_formula"].iloc[0], color="tab:blue", ls="--",
                   label="Erlang C, the daily average rate")
        ax2 = ax.twinx()
        ax2.bar(part["hour"] + 0.5, part["arrival_rate"], width=0.9, alpha=0.12, color="grey")
        ax2.set_ylabel("calls per hour (bars)", color="grey")
        ax.set_zorder(ax2.get_zorder() + 1)
        ax.patch.set_visible(False)
        ax.set_xlabel("hour of the day")
        ax.set_ylabel("P(wait > 0)")
        ax.set_ylim(0, 1.02)
        ax.set_title(f"baseline phone queue, {c} operators", fontsize=10)
        ax.grid(alpha=0.3)
    axes[0][-1].legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    path = out / "figures" / "formulas_break_hourly.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    paths.append(path)

    fig, ax = plt.subplots(figsize=(6.0, 3.8))
    ax.errorbar(field["engineers"], field["sl_sim"], yerr=field["sl_hw"], fmt="o", color="black", capsize=3,
                label="simulated (95 % CI)")
    ax.plot(field["engineers"], field["sl_formula_on_site"], "s--", color="tab:red", label="Erlang C, on-site time only")
    ax.plot(field["engineers"], field["sl_formula_with_travel"], "^-", color="tab:green",
            label="Erlang C, travel added")
    ax.axhline(0.8, color="grey", lw=0.8, ls=":")
    ax.set_xticks(field["engineers"])
    ax.set_xlabel("field engineers (4 jobs an hour, around the clock)")
    ax.set_ylabel("P(engineer within 30 min)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Field queue: Erlang C staffing without and with travel", fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    path = out / "figures" / "formulas_break_field.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    parser.add_argument("--out", type=Path, default=OUT, help="where tables/ and figures/ go (default docs/explanation)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    reps = 4 if args.quick else 20
    hourly = pd.concat([hourly_study(c, reps) for c in (6, 4)], ignore_index=True)
    print(f"hour-of-day profile: {time.perf_counter() - started:.0f} s")
    field, plan = field_study(4.0, 4 if args.quick else 10, 8 if args.quick else 30)
    share = baseline_travel_share()
    print(f"field travel: {time.perf_counter() - started:.0f} s")
    (args.out / "tables").mkdir(parents=True, exist_ok=True)
    (args.out / "figures").mkdir(parents=True, exist_ok=True)
    suffix = "_quick" if args.quick else ""
    written = []
    for name, table, md in (("hourly", hourly, hourly_markdown), ("field", field, field_markdown)):
        csv = args.out / "tables" / f"formulas_break_{name}{suffix}.csv"
        table.to_csv(csv, index=False)
        (args.out / "tables" / f"formulas_break_{name}{suffix}.md").write_text(md(table), encoding="utf-8")
        written += [csv, csv.with_suffix(".md")]
    if not args.quick:
        written += figures(hourly, field, args.out)
    for c, part in hourly.groupby("operators"):
        peak = part.loc[part["arrival_rate"].idxmax()]
        print(f"{c} operators: daily-average Erlang C P(wait) {part['p_wait_daily_formula'].iloc[0]:.3f}"
              f" (load {part['daily_load'].iloc[0]:.2f}); peak hour {int(peak['hour']):02d}:00"
              f" (load {peak['load']:.2f}) simulated {peak['p_wait_sim']:.3f} ± {peak['p_wait_hw']:.3f},"
              f" hour formula {peak['p_wait_hour_formula']:.3f}")
    print(f"field visit: on-site {plan['on_site_minutes']:.1f} min, travel {plan['travel_minutes']:.1f} min;"
          f" Erlang C staffing {plan['servers_on_site_only']} (on-site only) vs {plan['servers_with_travel']} (with travel)")
    print(field_markdown(field), end="")
    print(f"full baseline, one run: {share['visits']} visits, travel {share['travel_minutes']:.1f} min,"
          f" on site {share['on_site_minutes']:.1f} min (travel {share['travel_share']:.0%} of the visit),"
          f" field engineers {share['field_utilisation']:.0%} busy")
    print("wrote " + ", ".join(str(p) for p in written))
    command = "python experiments/where_formulas_break.py" + (" --quick" if args.quick else "")
    print(f"command: {command}; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""The scenarios the fit is held to, and a cached simulated log of each (tests only)."""

from __future__ import annotations

import functools

import svcsim

#: A third center, unlike baseline and tiny in volume, profile, mix and times.
EAST_CHANGES = {
    "name": "east",
    "demand.calls_per_day": {"mon": 90, "tue": 100, "wed": 110, "thu": 100, "fri": 80, "sat": 0, "sun": 0},
    "demand.hourly_profile": [0.0] * 8 + [0.2, 0.6, 0.8, 0.9, 0.4, 1.0, 1.4, 1.6, 1.2, 0.5] + [0.0] * 6,
    "demand.mix": {"question": 0.2, "field": 0.4, "carry_in": 0.15, "mail_in": 0.05, "complaint": 0.05, "sale": 0.15},
    "demand.zones": {"city": 0.4, "suburb": 0.4, "remote": 0.2},
    "times.handle": {"dist": "lognorm", "s": 0.4, "scale": 7.0},
    "times.diagnosis": {"dist": "lognorm", "s": 0.4, "scale": 25.0},
    "times.repair": {"dist": "lognorm", "s": 0.5, "scale": 60.0},
    "times.software_fix": {"dist": "gamma", "a": 4.0, "scale": 5.0},
    "times.callback": {"dist": "lognorm", "s": 0.3, "scale": 5.0},
    "probabilities.solved_by_phone": 0.5,
    "probabilities.software_fault": 0.3,
    "probabilities.part_needed": 0.6,
    "staffing.field_engineers.count": 14,
}


def east() -> svcsim.Scenario:
    """The third scenario: ``baseline`` with :data:`EAST_CHANGES`."""
    return svcsim.with_changes("baseline", EAST_CHANGES)


def scenario(name: str) -> svcsim.Scenario:
    return east() if name == "east" else svcsim.load_scenario(name)


@functools.lru_cache(maxsize=4)
def simulated(name: str, days: int, seed: int = 1) -> svcsim.Run:
    """A cold run of ``name`` (baseline, tiny or east) for ``days``."""
    return svcsim.simulate(scenario(name), seed=seed, days=days, warmup_days=0)

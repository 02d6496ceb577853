"""Small helpers for the replication tests: tiny scenarios that run in a fraction of a second."""

from __future__ import annotations

from svcsim.scenario import load_scenario, with_changes

DAYS = 2


def tiny(engineers: int | None = None):  # noqa: ANN201
    """The built-in ``tiny`` scenario, with ``engineers`` field engineers when given."""
    scenario = load_scenario("tiny")
    return scenario if engineers is None else with_changes(scenario, {"staffing.field_engineers.count": engineers})


def once_each(results, keys) -> bool:  # noqa: ANN001
    """Every (keys..., metric) appears exactly once in a tidy table."""
    return not results.duplicated([*keys, "metric"]).any()

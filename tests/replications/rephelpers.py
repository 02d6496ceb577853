"""Small helpers for the replication tests: tiny scenarios that run in a fraction of a second."""

from __future__ import annotations

import multiprocessing
import os

from svcsim.replications.runner import run_task
from svcsim.scenario import load_scenario, with_changes

DAYS = 2

#: Where :func:`dies_once_in_replication_1` finds its marker file (set by the test, read in the worker).
DIES_ONCE_MARKER = "SVCSIM_TEST_DIES_ONCE_MARKER"


def tiny(engineers: int | None = None):  # noqa: ANN201
    """The built-in ``tiny`` scenario, with ``engineers`` field engineers when given."""
    scenario = load_scenario("tiny")
    return scenario if engineers is None else with_changes(scenario, {"staffing.field_engineers.count": engineers})


def once_each(results, keys) -> bool:  # noqa: ANN001
    """Every (keys..., metric) appears exactly once in a tidy table."""
    return not results.duplicated([*keys, "metric"]).any()


def dies_once_in_replication_1(task):  # noqa: ANN001, ANN201
    """:func:`run_task`, except that the first pool worker given replication 1 exits abruptly.

    A test puts it in place of ``runner.run_task`` (monkeypatch) and names a
    marker file in ``$SVCSIM_TEST_DIES_ONCE_MARKER``: the worker that creates
    the file dies (``os._exit``, as a killed process would), every later call
    runs the replication. The main process never dies.
    """
    marker = os.environ.get(DIES_ONCE_MARKER)
    if marker and task.replication == 1 and multiprocessing.parent_process() is not None:
        try:
            handle = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.close(handle)
            os._exit(70)
    return run_task(task)

"""Running replications: the same numbers anywhere, nothing finished lost, dead workers retried.

Each story uses ``tiny`` for two days, so a replication takes a fraction of a second.
"""

from __future__ import annotations

import pandas as pd
import pytest
from rephelpers import DAYS, DIES_ONCE_MARKER, dies_once_in_replication_1, once_each, tiny

import svcsim.simulation
from svcsim.errors import InputError
from svcsim.replications import ReplicationCache, replicate, runner, sweep

GRID = {"staffing.field_engineers.count": [2, 4]}


@pytest.fixture
def count_simulations(monkeypatch):
    """Count the simulations run in this process (serial runs)."""
    calls: list[tuple] = []
    real = svcsim.simulation.simulate

    def counting(scenario, seed=0, replication=0, days=None, **kwargs):  # noqa: ANN001, ANN202
        calls.append((scenario.staffing.field_engineers.count, seed, replication))
        return real(scenario, seed=seed, replication=replication, days=days, **kwargs)

    monkeypatch.setattr(svcsim.simulation, "simulate", counting)
    return calls


def test_serial_and_a_process_pool_give_the_same_numbers():
    """The same (scenario, seed, replication) gives identical metrics in-process and in worker processes."""
    serial = replicate(tiny(), replications=3, seed=5, days=DAYS)
    pooled = replicate(tiny(), replications=3, seed=5, days=DAYS, jobs=2)
    pd.testing.assert_frame_equal(serial.results, pooled.results)
    assert once_each(serial.results, ["replication"]) and set(serial.results["replication"]) == {0, 1, 2}


def test_a_second_run_reads_every_replication_from_the_cache(tmp_path, count_simulations):
    first = replicate(tiny(), replications=3, seed=2, days=DAYS, cache=tmp_path)
    assert (first.computed, first.loaded, len(count_simulations)) == (3, 0, 3)
    again = replicate(tiny(), replications=4, seed=2, days=DAYS, cache=tmp_path)
    assert (again.computed, again.loaded, len(count_simulations)) == (1, 3, 4)
    pd.testing.assert_frame_equal(again.results[again.results["replication"] < 3], first.results)
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert files == [f"rep0000{r}.parquet" for r in range(4)], "one file per replication, no temporary left"
    other = replicate(tiny(), replications=1, seed=3, days=DAYS, cache=tmp_path)
    assert other.computed == 1, "another seed is another key"


def test_an_interrupted_sweep_resumes_with_only_the_missing_replications(tmp_path, count_simulations):
    """Stopped after 3 of 6 replications; the re-run simulates exactly the other 3."""
    def stop_after_three(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(tiny(), GRID, replications=3, seed=4, days=DAYS, cache=tmp_path, progress=stop_after_three)
    assert len(count_simulations) == 3 and len(ReplicationCache(tmp_path)) == 3
    finished = list(count_simulations)
    resumed = sweep(tiny(), GRID, replications=3, seed=4, days=DAYS, cache=tmp_path)
    assert (resumed.computed, resumed.loaded) == (3, 3)
    assert len(count_simulations) == 6 and not set(finished) & set(count_simulations[3:])
    assert once_each(resumed.results, ["staffing.field_engineers.count", "replication"])
    third = sweep(tiny(), GRID, replications=3, seed=4, days=DAYS, cache=tmp_path)
    assert (third.computed, third.loaded, len(count_simulations)) == (0, 6, 6)
    pd.testing.assert_frame_equal(resumed.results, third.results)


def test_a_worker_that_dies_mid_sweep_is_replaced(tmp_path, monkeypatch):
    """A worker process exits abruptly in replication 1; the pool is rebuilt and every replication appears once."""
    marker = tmp_path / "died"
    monkeypatch.setenv(DIES_ONCE_MARKER, str(marker))
    monkeypatch.setattr(runner, "run_task", dies_once_in_replication_1)
    result = sweep(tiny(), GRID, replications=3, seed=6, days=DAYS, jobs=2, cache=tmp_path / "cache")
    assert marker.exists(), "a worker did die"
    assert result.retried >= 1 and result.computed == 6
    keys = ["staffing.field_engineers.count", "replication"]
    assert once_each(result.results, keys)
    assert sorted(set(map(tuple, result.results[keys].to_numpy().tolist()))) == [(e, r) for e in (2, 4) for r in range(3)]
    monkeypatch.undo()
    pd.testing.assert_frame_equal(result.results, sweep(tiny(), GRID, replications=3, seed=6, days=DAYS).results)


@pytest.mark.parametrize(("call", "field"), [
    (lambda: replicate(tiny(), replications=0), "replications"),
    (lambda: replicate(tiny(), replications=2, jobs=0), "jobs"),
    (lambda: replicate(tiny(), replications=2, days=DAYS, warmup=2.5), "warmup"),  # whole days before the horizon
    (lambda: sweep(tiny(), {"staffing.nobody": [1, 2]}, replications=2), "staffing.nobody"),
    (lambda: sweep(tiny(), {"staffing.field_engineers.count": [-1]}, replications=2), None),
    (lambda: sweep(tiny(), {"staffing.field_engineers.count": []}, replications=2), "staffing.field_engineers.count"),
])
def test_mistakes_are_input_errors_before_anything_runs(call, field, count_simulations):
    with pytest.raises(InputError) as error:
        call()
    assert field is None or error.value.field == field
    assert not count_simulations

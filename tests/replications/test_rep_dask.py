"""On a Dask cluster: the same numbers as in-process, and ``svcsim run --scheduler``.

One two-worker ``LocalCluster`` (separate processes, one thread each) serves the module.
"""

from __future__ import annotations

import pandas as pd
import pytest
from rephelpers import DAYS, tiny

from svcsim.cli import main
from svcsim.replications import replicate

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as local:
        yield local


def test_a_dask_cluster_gives_the_same_numbers(cluster):
    serial = replicate(tiny(), replications=3, seed=8, days=DAYS)
    with distributed.Client(cluster) as client:
        on_dask = replicate(tiny(), replications=3, seed=8, days=DAYS, executor=client.get_executor())
    pd.testing.assert_frame_equal(serial.results, on_dask.results)


def test_run_on_a_scheduler_from_the_command_line(cluster, capsys):
    status = main(["run", "tiny", "--days", str(DAYS), "--replications", "2", "--scheduler",
                   cluster.scheduler_address, "--no-cache", "--quiet"])
    out = capsys.readouterr().out
    assert status == 0 and "95% CI" in out and "attainment % dispatch-4h" in out

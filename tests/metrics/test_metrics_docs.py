"""docs/reference/metrics.md runs, and names every KPI and every column the functions return."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import svcsim.metrics as metrics
from svcsim.metrics import BUDGET_COLUMNS, KPI_COLUMNS, KPIS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "metrics.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def test_the_examples_run():
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, str(PAGE), str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_every_kpi_and_column_is_documented():
    text = PAGE.read_text(encoding="utf-8")
    for name in (*KPIS, *KPI_COLUMNS, *BUDGET_COLUMNS, "requests", "fill_rate", "jobs_waited_share", "at_vendor"):
        assert f"`{name}`" in text, name
    for name in metrics.__all__:
        if callable(getattr(metrics, name)):
            assert f"`{name}" in text, name

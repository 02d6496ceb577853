"""Every example of the spares how-to runs and prints what the page says; its figure exists."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs/howto/size-spare-stock.md"
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def test_size_spare_stock_examples():
    text = PAGE.read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 4
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, str(PAGE), str(PAGE), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_the_figure_and_its_table_are_committed():
    figure, table = PAGE.parent / "figures/palm_fill_rate.png", PAGE.parent / "figures/palm_fill_rate.csv"
    assert figure.is_file() and figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    header = table.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"resupply", "stock", "fill_rate", "ci95_low", "ci95_high", "palm_fill_rate"} <= set(header)

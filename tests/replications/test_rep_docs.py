"""Every example in the replication docs runs and prints what the page says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ["docs/explanation/simulation-practice.md", "docs/howto/test-a-staffing-plan.md"]
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("path", DOCS)
def test_documentation_examples(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"no examples in {path}"
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, path, path, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0

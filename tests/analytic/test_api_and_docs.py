"""The public API is what ``__all__`` says, and every documented example runs."""

from __future__ import annotations

import doctest
import importlib
import re
from pathlib import Path

import pytest

import svcsim.analytic as analytic

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["allocation", "erlang", "erlang_a", "metric", "palm", "staffing", "vendor"]
DOCS = ["docs/reference/analytic.md", "docs/howto/quick-staffing.md"]
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def test_all_is_true():
    """Every name in ``__all__`` exists, and every public function or class defined
    in the submodules is exported."""
    for name in analytic.__all__:
        assert hasattr(analytic, name), name
    public = set()
    for mod in MODULES:
        module = importlib.import_module(f"svcsim.analytic.{mod}")
        public |= {n for n in module.__all__ if n[0].islower() and callable(getattr(module, n))}
    internal = {"idle_ratio", "idle_ratio_sequence", "poisson_stock_measures"}
    assert public - internal <= set(analytic.__all__)


@pytest.mark.parametrize("mod", MODULES)
def test_docstring_examples(mod):
    """The examples in each module's docstrings run and print what they say."""
    module = importlib.import_module(f"svcsim.analytic.{mod}")
    result = doctest.testmod(module, optionflags=FLAGS)
    assert result.failed == 0


@pytest.mark.parametrize("path", DOCS)
def test_documentation_examples(path):
    """The ``pycon`` blocks of the reference and the how-to run, in order, in one
    namespace, and print what the page says."""
    text = (ROOT / path).read_text(encoding="utf-8")
    blocks = re.findall(r"```pycon\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"no examples in {path}"
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, path, path, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0

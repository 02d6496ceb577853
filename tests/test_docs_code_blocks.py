"""Every code block of the docs meant for a script is valid Python, and every prompted example is ``pycon``.

The prompted examples themselves run in the test of their page (each page
with a ``pycon`` block is named by a test under tests/; the last test here
keeps it so). Signatures that are not statements are fenced ``text``.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
BLOCK = re.compile(r"```(\w*)\n(.*?)```", flags=re.DOTALL)


def _blocks(page: Path) -> list[tuple[str, int, str]]:
    text = page.read_text(encoding="utf-8")
    return [(m.group(1), text[:m.start()].count("\n") + 2, m.group(2)) for m in BLOCK.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_compile_and_prompts_are_pycon(page):
    where = page.relative_to(ROOT)
    for fence, line, body in _blocks(page):
        if fence == "python":
            assert ">>>" not in body, f"{where}:{line}: a prompted example fenced python; fence it pycon"
            compile(body, f"{where}:{line}", "exec")
        elif fence == "pycon":
            for example in doctest.DocTestParser().get_examples(body):
                compile(example.source, f"{where}:{line + example.lineno}", "single")
        else:
            assert not body.lstrip().startswith(">>>"), f"{where}:{line}: a prompted example fenced {fence or 'plain'}; fence it pycon"


def test_every_page_with_prompted_examples_is_run_by_a_test():
    tests = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "tests").rglob("*.py"))
    for page in PAGES:
        if any(fence == "pycon" for fence, _, _ in _blocks(page)):
            assert page.name in tests, f"no test runs the examples of {page.relative_to(ROOT)}"

"""The progress bar redraws on a terminal and writes one finished line into a file or a pipe."""

from __future__ import annotations

import io

from svcsim.progress import progress_bar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_file_gets_only_the_finished_line():
    out = io.StringIO()
    show = progress_bar("days", stream=out)
    for done in range(1, 29):
        show(done, 28)
    text = out.getvalue()
    assert "\r" not in text and text.count("\n") == 1
    assert text.startswith("[" + "#" * 30 + "] 28/28 days ")


def test_a_terminal_sees_every_step_on_one_line():
    out = _Terminal()
    show = progress_bar("replications", stream=out)
    for done in range(1, 5):
        show(done, 4)
    text = out.getvalue()
    assert text.count("\r") == 4 and text.endswith("s\n") and text.count("\n") == 1
    assert "\r[" + "#" * 7 + "." * 23 + "] 1/4 replications " in text

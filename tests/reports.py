"""The report of each kind, made once per test session by the command line, with its --out tables.

:func:`made_reports` runs ``svcsim run``, ``run --replications``, ``compare``,
``sweep`` and ``check`` on the tiny scenario (3 days, 2 replications, one
shared replication cache) and the bundled sample log, and ``plan`` on tiny
with one lever and at most 9 replications a candidate (a few seconds), each with ``--out``
and ``--report``; it returns, per kind, the page and the folder of tables.
"""

from __future__ import annotations

import contextlib
import functools
import io
import tempfile
from pathlib import Path

from svcsim.cli import main

#: Per kind, the command's arguments (the --out, --report and --cache options are added).
COMMANDS = {
    "run": ["run", "tiny", "--days", "3", "--quiet", "--require", "arrive-20min=80", "--require", "dispatch-4h=95"],
    "replications": ["run", "tiny", "--replications", "2", "--days", "3", "--warmup", "0", "--quiet",
                     "--require", "arrive-20min=80"],
    "compare": ["compare", "tiny", "{four}", "--replications", "2", "--days", "3", "--warmup", "0", "--quiet",
                "--require", "arrive-20min=80"],
    "sweep": ["sweep", "tiny", "--set", "staffing.field_engineers.count=3,4", "--replications", "2", "--days", "3",
              "--warmup", "0", "--quiet", "--require", "arrive-20min=80"],
    "check": ["check", "--require", "dispatch-4h=95"],
    "plan": ["plan", "tiny", "--lever", "staffing.field_engineers.count=1:5", "--batch", "3", "--replications-max", "9",
             "--quiet", "--require", "dispatch-4h=90", "--require", "arrive-20min=60"],
}


@functools.cache
def made_reports() -> dict[str, tuple[Path, Path]]:
    """Per kind: (the report page, the --out folder)."""
    root = Path(tempfile.mkdtemp(prefix="svcsim-reports-"))
    four = root / "four.toml"
    four.write_text('extends = "tiny"\n[staffing.field_engineers]\ncount = 4\n')
    made = {}
    for kind, command in COMMANDS.items():
        argv = [a.replace("{four}", str(four)) for a in command]
        page, out = root / f"{kind}.html", root / kind
        argv += ["--out", str(out), "--report", str(page)]
        if kind in ("replications", "compare", "sweep"):
            argv += ["--cache", str(root / "cache")]
        with contextlib.redirect_stdout(io.StringIO()):
            status = main(argv)
        assert status == 0, f"svcsim {' '.join(argv)} exited {status}"
        made[kind] = (page, out)
    return made

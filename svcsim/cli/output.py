"""The one writer of ``--out``: a set of named tables (and optionally an event log) into a folder.

A name's suffix says how its value is written: ``.csv`` and ``.parquet``
tables without their index, ``.json`` a JSON document, ``.png`` a
matplotlib figure. An event log goes through :func:`svcsim.eventlog.write_log`
(``events.parquet`` and ``cases.parquet``), the library's own writer.
Check the folder first with :func:`svcsim.cli.arguments.check_out_folder`,
before the work that fills it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from svcsim.eventlog import EventLog

__all__ = ["FIGURE_DPI", "write_tables"]

#: Resolution of the figures written (dots per inch).
FIGURE_DPI = 110


def write_tables(folder: str | Path, tables: Mapping[str, Any], *, log: EventLog | None = None) -> list[str]:
    """Write ``log`` (if given) and then each of ``tables`` into ``folder``; the names written, in order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    if log is not None:
        from svcsim.eventlog import write_log

        write_log(log, folder)
        written += ["events.parquet", "cases.parquet"]
    for name, value in tables.items():
        path = folder / name
        suffix = path.suffix
        if suffix == ".csv":
            value.to_csv(path, index=False)
        elif suffix == ".parquet":
            value.to_parquet(path, index=False)
        elif suffix == ".json":
            path.write_text(json.dumps(value, indent=2) + "\n")
        elif suffix == ".png":
            value.savefig(path, dpi=FIGURE_DPI)
        else:
            raise ValueError(f"no writer for {name!r}; expected a .csv, .parquet, .json or .png name")
        written.append(name)
    return written

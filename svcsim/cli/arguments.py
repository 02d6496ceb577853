"""Checks of parsed command-line arguments, made before a command does any work.

argparse checks a value's type (``--days 3.5`` is refused there); these check
what argparse cannot say: counts of at least one, seeds and replication
numbers of at least zero, ``--set`` syntax, an ``--out`` folder that can be
written. Each mistake is an :class:`~svcsim.errors.InputError` naming the
option, which the command line prints as one line with exit status 2.
Standard library only, so the parser can import it without weight.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from svcsim.arguments import DAYS_BEYOND
from svcsim.errors import InputError

__all__ = ["check_at_least_one", "check_non_negative", "check_out_folder", "days_named", "parse_grid", "parse_set"]


def _option(name: str) -> str:
    return "--" + name.replace("_", "-")


def check_at_least_one(args: argparse.Namespace, *names: str) -> None:
    """Each named count (``days``, ``replications``, ``jobs``, ``top``...) that was given is a whole number >= 1."""
    for name in names:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise InputError(f"{_option(name)} {value}", field=_option(name), expected="a whole number >= 1")


def check_non_negative(args: argparse.Namespace, *names: str) -> None:
    """Each named number (``seed``, ``replication``, ``warmup``) that was given is finite and >= 0."""
    for name in names:
        value = getattr(args, name, None)
        if value is not None and not (math.isfinite(value) and value >= 0):
            kind = "a number of days >= 0" if isinstance(value, float) else "a whole number >= 0"
            raise InputError(f"{_option(name)} {value}", field=_option(name), expected=kind)


def check_out_folder(path: str | None, option: str = "--out") -> Path | None:
    """The folder ``path`` as a :class:`~pathlib.Path` if files can be written there (made later, if missing).

    It must not be an existing file, and its nearest existing ancestor must
    be a folder this process may write into. None stays None.
    """
    if path is None:
        return None
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{option} {path}: is a file", field=option, expected="a folder to write the tables into")
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise InputError(f"{option} {path}: {existing} is a file", field=option, expected="a folder that can be created")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: {existing} is not writable", field=option,
                         expected="a folder this user may write into")
    try:  # the permission bits do not tell everything (a read-only mount, /proc, a full disk)
        os.rmdir(tempfile.mkdtemp(prefix=".svcsim-probe-", dir=existing))
    except OSError as exc:
        raise InputError(f"{option} {path}: nothing can be made in {existing} ({exc.strerror})", field=option,
                         expected="a folder this user may write into") from None
    return folder


@contextlib.contextmanager
def days_named(days: int | None) -> Iterator[None]:
    """A calendar that cannot cover the run's years, when ``--days`` set its length, is said to be about ``--days``."""
    try:
        yield
    except InputError as exc:
        if days is None or exc.field not in ("calendar.years", "days"):
            raise
        # the library's own wording (svcsim.arguments.days_named) says simulate(days=N): here it is --days N
        problem = exc.problem.partition(": ")[2] if exc.field == "days" else f"{DAYS_BEYOND} ({exc.problem})"
        raise InputError(f"--days {days}: {problem}", field="--days",
                         expected="fewer days, so that the run ends within those years") from None


def parse_set(text: str) -> tuple[str, list[Any]]:
    """``"a.b=1,2,3"`` -> ``("a.b", [1, 2, 3])``: whole numbers, then numbers, true/false, else text."""
    field, sep, values = text.partition("=")
    if not sep or not field.strip() or not values.strip():
        raise InputError(f"--set {text!r}", field="--set", expected="FIELD=V1,V2,... e.g. staffing.field_engineers.count=8,10,12")
    return field.strip(), [_value(v.strip()) for v in values.split(",")]


def parse_grid(sets: list[str]) -> dict[str, list[Any]]:
    """The sweep grid of the ``--set`` options (a later ``--set`` of the same field wins); at least one is needed."""
    if not sets:
        raise InputError("no --set given", field="--set", expected="at least one FIELD=V1,V2,...")
    grid: dict[str, list[Any]] = {}
    for text in sets:
        field, values = parse_set(text)
        grid[field] = values
    return grid


def _value(text: str) -> Any:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text

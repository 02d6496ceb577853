"""Checks of the arguments of the public functions, made where the call comes in.

A wrong kind of value is a :class:`TypeError`, a value of the right kind out
of range an :class:`~svcsim.errors.InputError`; both name the parameter and
what was expected, so a mistake in a call never surfaces as an
``AttributeError`` from deep inside. Standard library only.
"""

from __future__ import annotations

import contextlib
import numbers
import os
from collections.abc import Iterator

from svcsim.errors import InputError

__all__ = ["whole_number", "of_kind", "path_like", "days_named", "DAYS_BEYOND"]

#: What a horizon too long for the scenario's calendar is said to do (the command line names ``--days`` instead).
DAYS_BEYOND = "the run would go past the years the scenario's calendar covers"


def _kind(value: object) -> str:
    kind = type(value)
    module = kind.__module__.split(".")[0]
    return kind.__name__ if module == "builtins" else f"{module} {kind.__name__}"


def whole_number(value: object, name: str, *, function: str, minimum: int = 0) -> int:
    """``value`` as an int if it is a whole number (not a bool, not a float) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{function}(): {name} must be a whole number >= {minimum}, not {_given(value)}")
    if value < minimum:
        raise InputError(f"{value} given to {function}()", field=name, expected=f"a whole number >= {minimum}")
    return int(value)


def of_kind(value: object, name: str, kinds: tuple[type, ...], *, function: str, expected: str, hint: str = "") -> None:
    """Raise a TypeError naming ``name`` and ``expected`` unless ``value`` is one of ``kinds``."""
    if not isinstance(value, kinds):
        raise TypeError(f"{function}(): {name} must be {expected}, not {_given(value)}{hint}")


def path_like(value: object, name: str, *, function: str, what: str, none: bool = False) -> None:
    """Raise a TypeError unless ``value`` is a path (text or :class:`os.PathLike`), or None when ``none``."""
    if value is None and none:
        return
    if not isinstance(value, (str, os.PathLike)):
        also = " or None" if none else ""
        raise TypeError(f"{function}(): {name} must be {what} (a path as str or pathlib.Path{also}), "
                        f"not {_given(value)}")


@contextlib.contextmanager
def days_named(days: int | None, *, function: str) -> Iterator[None]:
    """A calendar that cannot cover the run's years, when ``days`` set its length, is said to be about ``days``."""
    try:
        yield
    except InputError as exc:
        if days is None or exc.field != "calendar.years":
            raise
        raise InputError(f"{function}(days={days}): {DAYS_BEYOND} ({exc.problem})", field="days",
                         expected="fewer days, so that the run ends within those years") from None


def _given(value: object) -> str:
    """``42 (int)``, or for a value with a long picture only its kind: ``a pandas DataFrame``."""
    text = repr(value)
    return f"{text} ({_kind(value)})" if len(text) <= 40 and "\n" not in text else f"a {_kind(value)}"

"""The base of every scenario section: frozen, no unknown fields; and the check of service-hour texts."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from svcsim.calendar.hours import parse_intervals
from svcsim.errors import InputError

__all__ = ["Frozen", "hours_ok"]


class Frozen(BaseModel):
    """A scenario section: immutable once validated, and a field it does not know is a mistake."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def hours_ok(texts: list[str], field: str) -> list[str]:
    """``texts`` if they are service hours (``"08:30-12:00"``), else a ValueError pydantic reports."""
    try:
        parse_intervals(texts, field=field)
    except InputError as error:
        raise ValueError(f"{error.problem}; expected {error.expected}") from None
    return texts

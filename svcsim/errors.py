"""Errors a user can cause, and how they are told.

Every mistake in a file the user wrote (a rules file, a calendar, an event log
not in the canonical shape, later a scenario or a mapping) raises
:class:`InputError`. It names where the mistake is (the file, then the rule or
section, the field, the row) and what was expected. The CLI prints it as one
line and exits with status 2; no traceback is shown for a user's mistake.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["InputError", "InputWarning"]


class InputError(ValueError):
    """A mistake in the user's input, located as precisely as we can.

    ``str(error)`` is the one-line message: ``"<file>: <where>: <field>: <row>:
    <problem>; expected <expected>"``, with the parts that are unknown left out.
    A line break inside a part (a parser's own message quoted in it) becomes a space.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        where: str | None = None,
        field: str | None = None,
        row: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.where = where
        self.field = field
        self.row = row
        self.expected = expected
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.where:
            parts.append(self.where)
        if self.field:
            parts.append(f"field '{self.field}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        text = self.problem if self.expected is None else f"{self.problem}; expected {self.expected}"
        return _one_line(": ".join([*parts, text]))

    def located(self, file: str | Path) -> InputError:
        """The same error with the file filled in (for errors raised below the loader)."""
        if self.file is not None:
            return self
        return InputError(
            self.problem, file=file, where=self.where, field=self.field, row=self.row,
            expected=self.expected,
        )


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip()) if "\n" in text or "\r" in text else text


class InputWarning(UserWarning):
    """Input that is accepted but probably not what was meant; the command line prints it as one line."""

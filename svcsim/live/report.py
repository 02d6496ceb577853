"""The validation report: every source row accounted for, every finding with a code.

``rows_read == rows_kept + rows_quarantined``; ``rows_repaired`` counts kept
rows that were changed on the way in. The issues table has one row per
finding (source row, case, column, code, message, action taken); the
quarantined rows are kept as they were read, with their code.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["ISSUE_CODES", "ValidationReport", "ISSUE_COLUMNS"]

#: code -> (what happens to the row, meaning). The reference table in
#: docs/reference/mapping.md lists the same codes (a test keeps them equal).
ISSUE_CODES: dict[str, tuple[str, str]] = {
    "CASE_ID_NULL": ("quarantined", "the row has no case id"),
    "ACTIVITY_NULL": ("quarantined", "the row has no activity"),
    "UNKNOWN_ACTIVITY": ("quarantined or kept (policy)", "the activity is neither mapped nor in the vocabulary"),
    "ACTIVITY_NORMALISED": ("kept, repaired", "the activity matched only after trimming spaces and ignoring case"),
    "TS_NULL": ("quarantined", "the row has no timestamp"),
    "TS_UNPARSEABLE": ("quarantined", "the timestamp does not match the stated format"),
    "TS_NAIVE": ("quarantined", "the timestamp has no offset and the mapping states no time zone"),
    "TS_NONEXISTENT": ("quarantined", "a local time skipped by a daylight-saving change in the stated zone"),
    "TS_AMBIGUOUS": ("quarantined", "a local time repeated by a daylight-saving change in the stated zone"),
    "TS_MIXED_OFFSETS": ("kept", "the offset differs from the rest of the source (or from the stated zone)"),
    "TS_FUTURE": ("quarantined", "the timestamp is after as_of (the moment of the export)"),
    "TS_OUTSIDE_CALENDAR": ("quarantined", "the timestamp is in a year a rule's calendar does not cover"),
    "DUPLICATE": ("quarantined or kept (policy)", "an exact copy of an earlier row"),
    "OUT_OF_ORDER": ("kept or quarantined (policy)", "the timestamp goes back in time against the case's order of narration"),
    "ATTR_CONFLICT": ("kept", "a case attribute changes between the rows of a case; one value is used (policy)"),
    "CASE_EVENT_UNPARSEABLE": ("kept", "a case-level event time (case_events) could not be read; no event made"),
    "ACTIVITY_NOT_JUDGED": ("kept (a warning)", "no rule and no vocabulary knows the activity (after mapping): the rules pass over the row"),
}

ISSUE_COLUMNS = ["source_row", "case_id", "column", "code", "message", "action"]

#: Codes whose quarantine loses nothing of the case (an exact copy): the case stays valid.
HARMLESS = {"DUPLICATE"}


@dataclass(frozen=True)
class ValidationReport:
    """What happened to every row of one source file."""

    source: str
    rows_read: int
    rows_kept: int
    rows_quarantined: int
    rows_repaired: int
    events_derived: int
    issues: pd.DataFrame
    quarantined: pd.DataFrame
    #: Findings about the whole file or the mapping that lose no row but may mean a mistake
    #: (``svcsim check --strict`` makes them exit status 2).
    warnings: tuple[str, ...] = ()

    def counts_by_code(self) -> dict[str, int]:
        """Issue counts by code, most frequent first."""
        return {str(k): int(v) for k, v in self.issues["code"].value_counts().items()}

    def to_json(self) -> dict:
        """The four counts, the derived events and the issue counts by code (``validation.json``)."""
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_quarantined": self.rows_quarantined,
            "rows_repaired": self.rows_repaired,
            "events_derived": self.events_derived,
            "issues_by_code": self.counts_by_code(),
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """A few readable lines for the CLI."""
        lines = [
            f"Validation of {self.source}",
            f"  rows read {self.rows_read:,} = kept {self.rows_kept:,} + quarantined {self.rows_quarantined:,}"
            f"; repaired {self.rows_repaired:,}; events derived {self.events_derived:,}",
        ]
        for code, n in self.counts_by_code().items():
            lines.append(f"  {code:<24}{n:>10,}  {ISSUE_CODES[code][1]}")
        lines += [f"  warning: {text}" for text in self.warnings]
        return "\n".join(lines)

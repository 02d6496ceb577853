"""The limits one file may not exceed: now in :mod:`svcsim.eventlog.limits`, re-exported here.

They moved below ``live`` so that a canonical log read by
:func:`svcsim.read_log` is held to the same limits as a live export.
"""

from svcsim.eventlog.limits import (
    DEFAULT_LIMITS,
    GIB,
    KIB,
    MIB,
    Limits,
    check_columns,
    check_declared,
    check_fields,
    check_lines,
    fields_bounded_by_lines,
    read_bounded,
)

__all__ = ["DEFAULT_LIMITS", "GIB", "KIB", "MIB", "Limits", "check_columns", "check_declared", "check_fields", "check_lines",
           "fields_bounded_by_lines", "read_bounded"]

"""The event log: one table of events and one of cases, for simulated and live data alike."""

from svcsim.eventlog.io import read_log, write_log
from svcsim.eventlog.log import (
    CASE_ATTRIBUTES,
    OPTIONAL_EVENT_COLUMNS,
    REQUIRED_EVENT_COLUMNS,
    EventLog,
)
from svcsim.eventlog.vocabulary import ACTIVITIES, ACTIVITY_NAMES, CASE_TYPES, Activity

__all__ = [
    "ACTIVITIES",
    "ACTIVITY_NAMES",
    "CASE_ATTRIBUTES",
    "CASE_TYPES",
    "OPTIONAL_EVENT_COLUMNS",
    "REQUIRED_EVENT_COLUMNS",
    "Activity",
    "EventLog",
    "read_log",
    "write_log",
]

"""Live ticket data: load any export through a mapping, account for every row."""

from svcsim.live.load import load_events
from svcsim.live.mapping import Mapping, load_mapping
from svcsim.live.report import ISSUE_CODES, ValidationReport
from svcsim.live.screen import screen_log

__all__ = ["ISSUE_CODES", "Mapping", "ValidationReport", "load_events", "load_mapping", "screen_log"]

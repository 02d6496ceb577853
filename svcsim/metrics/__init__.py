"""Metrics: pure functions of an event log (the supervisor's KPIs land here)."""

__all__: list[str] = []

"""Service calendars: opening hours, holidays, make-up days, and business time.

See ``docs/reference/calendar.md``. The rule engine calls the vectorised
``*_ns`` methods of :class:`ServiceCalendar` on whole columns of UTC epoch
nanoseconds; users call :meth:`ServiceCalendar.business_duration` and
:meth:`ServiceCalendar.business_deadline` on pandas columns.
"""

from svcsim.calendar.lookup import NAT_NS
from svcsim.calendar.service import CalendarCoverageError, ServiceCalendar

__all__ = ["ServiceCalendar", "CalendarCoverageError", "NAT_NS"]

"""The discrete-event building blocks the role processes share.

Not processes themselves, and not the wiring of a run: the pieces every
role module of :mod:`svcsim.processes` is built on, kept below both
:mod:`svcsim.processes` and :mod:`svcsim.simulation` so neither imports the
other's internals:

- :mod:`svcsim.des.recorder`: the :class:`Recorder` processes narrate facts
  into (flat tuples of codes; nothing summed);
- :mod:`svcsim.des.cases`: the :class:`CaseBook` of case attributes in
  columns, and the :class:`Job` in flight between roles;
- :mod:`svcsim.des.pool`: the :class:`WorkPool` long-lived workers pull
  from, and the shift rules (:func:`worker`, :func:`shift_ends`).
"""

from svcsim.des.cases import CaseBook, Job
from svcsim.des.pool import Duty, WorkPool, shift_ends, worker
from svcsim.des.recorder import ACTIVITY_ORDER, CODE, Recorder

__all__ = ["ACTIVITY_ORDER", "CODE", "CaseBook", "Duty", "Job", "Recorder", "WorkPool", "shift_ends", "worker"]

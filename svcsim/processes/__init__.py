"""Role processes of the SimPy model: one module per role of the service center.

Processes narrate facts into a :class:`~svcsim.processes.recorder.Recorder`
(flat tuples: case number, activity code, minute, resource code) and compute
no statistics; everything is measured from the event log afterwards.
Operators, technical support, dispatchers and engineers are long-lived
processes pulling work (:mod:`svcsim.processes.pool`, :mod:`svcsim.processes.dispatchers`);
shifts decide when they pull.
"""

from svcsim.processes.cases import CaseBook, Job
from svcsim.processes.recorder import ACTIVITY_ORDER, Recorder
from svcsim.processes.spares import SparesStore, UnlimitedStore

__all__ = ["ACTIVITY_ORDER", "CaseBook", "Job", "Recorder", "SparesStore", "UnlimitedStore"]

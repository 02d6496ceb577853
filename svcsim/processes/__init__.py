"""Role processes of the SimPy model: one module per role of the service center.

Callers, operators, technical support, customers' appointments,
dispatchers (and their registered policies, ``dispatch_policies``), field
engineers (their state as the dispatchers see it, ``engineer``; their
drives between places, ``travel``) and bench engineers, the spares store,
the vendor loop and the aftercare of a job.
Processes narrate facts into a :class:`~svcsim.des.recorder.Recorder`
(flat tuples: case number, activity code, minute, resource code) and compute
no statistics; everything is measured from the event log afterwards.
Operators, technical support, dispatchers and engineers are long-lived
processes pulling work (:mod:`svcsim.des.pool`, :mod:`svcsim.processes.dispatchers`);
shifts decide when they pull. The building blocks they share (recorder,
case book, work pool) are in :mod:`svcsim.des`.
"""

from svcsim.processes.spares import SparesStore, UnlimitedStore

__all__ = ["SparesStore", "UnlimitedStore"]

"""Running the model: :func:`simulate` one scenario, seed and replication into a :class:`Run`."""

from svcsim.simulation.run import Run, simulate

__all__ = ["Run", "simulate"]

"""Role processes of the SimPy model (to come with the simulator)."""

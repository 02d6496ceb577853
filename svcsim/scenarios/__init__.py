"""Built-in scenarios (to come with the simulator)."""

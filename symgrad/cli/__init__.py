"""symgrad.cli."""

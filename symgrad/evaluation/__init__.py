"""symgrad.evaluation."""

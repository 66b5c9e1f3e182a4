"""The garment line-balancing engine: evaluate an assignment, or solve a style exactly."""

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.solve import problem_error, solve

__all__ = ["evaluate", "problem_error", "solve"]

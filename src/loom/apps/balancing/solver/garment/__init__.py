"""The garment line-balancing engine: evaluate an assignment, or solve a style exactly."""

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.garment.inputs import problem_error
from loom.apps.balancing.solver.garment.solve import solve

__all__ = ["evaluate", "problem_error", "solve"]

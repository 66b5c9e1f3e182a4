"""The answers ``solve`` gives: proved, found, refused, each with its figures and message."""

from __future__ import annotations

from time import perf_counter

from loom.apps.balancing.solver.garment.figures import evaluate
from loom.apps.balancing.solver.model import Assignment, LineProblem, Solution


def result(
    problem: LineProblem, line: Assignment, bound: int, proved: bool, started: float, what: str
) -> Solution:
    """Return a line, optimal when ``proved``; ``what`` says which levels are."""
    return Solution(
        status="optimal" if proved else "feasible",
        assignment=line,
        figures=evaluate(problem, line),
        lower_bound=bound,
        optimal=proved,
        seconds=perf_counter() - started,
        message=f"Proved optimal: {what}." if proved else f"Best found: {what}.",
    )


def too_few(bound: int, workers: int) -> str:
    """Return the refusal of a line with fewer workers than the style needs."""
    return f"The style needs at least {bound} operators at this cycle time; the line has {workers}."


def none_up_to(most: int) -> str:
    """Return the refusal when no line of at most ``most`` operators exists (proved)."""
    return f"No valid line exists with up to {most} operators."


def no_line(low: int, high: int, limit: float) -> str:
    """Return the refusal when no line was found in time (not proved impossible)."""
    return (
        f"No valid line found within {limit:g} s ({low} to {high} operators tried); "
        "not proved impossible."
    )


def refuse(message: str, started: float, bound: int = 0) -> Solution:
    """Return an infeasible answer with ``message`` and no assignment."""
    return Solution("infeasible", None, None, bound, False, perf_counter() - started, message)

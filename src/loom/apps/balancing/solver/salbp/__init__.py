"""SALBP-1, the core of line balancing: the fewest stations for a cycle time, solved exactly."""

from loom.apps.balancing.solver.salbp.exact import CycleTimeError, Result, solve
from loom.apps.balancing.solver.salbp.instance import Instance, InstanceError, check
from loom.apps.balancing.solver.salbp.parse import Parsed, ParseError, read

__all__ = [
    "CycleTimeError",
    "Instance",
    "InstanceError",
    "ParseError",
    "Parsed",
    "Result",
    "check",
    "read",
    "solve",
]

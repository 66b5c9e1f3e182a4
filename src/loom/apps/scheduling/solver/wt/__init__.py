"""Single-machine total weighted tardiness (1||ΣwjTj): the single-line core of scheduling.

``read_instance`` reads OR-Library ``wt`` files, ``total_weighted_tardiness`` prices an order,
``edd_order`` is the earliest-due-date baseline and ``sequence`` searches (iterated dynasearch).
"""

from loom.apps.scheduling.solver.wt.evaluate import edd_order, total_weighted_tardiness
from loom.apps.scheduling.solver.wt.instance import Job, WtFormatError, parse_wt, read_instance
from loom.apps.scheduling.solver.wt.search import Result, sequence

__all__ = [
    "Job",
    "Result",
    "WtFormatError",
    "edd_order",
    "parse_wt",
    "read_instance",
    "sequence",
    "total_weighted_tardiness",
]

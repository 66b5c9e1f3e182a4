"""Pure rules of the master data: the rate valid on a day and the routing precedence check."""

from loom.modules.masterdata.engine.rates import rate_valid_on
from loom.modules.masterdata.engine.routing import find_cycle

__all__ = ["find_cycle", "rate_valid_on"]

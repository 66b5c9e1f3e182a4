"""Pure rules of the master data: rates on a day, routing precedence, material requirements."""

from loom.modules.masterdata.engine.bom import material_requirements
from loom.modules.masterdata.engine.rates import rate_valid_on
from loom.modules.masterdata.engine.routing import find_cycle

__all__ = ["find_cycle", "material_requirements", "rate_valid_on"]

"""The enterprise registry's pure parts: credit codes and the Excel import/export.

Nothing here touches the database or the web; the programme services call these functions.
"""

from loom.modules.programme.registry.creditcode import InvalidCreditCode, make_code, validate
from loom.modules.programme.registry.fields import SECTORS, SIZES, CellError, RegistryRow, towns
from loom.modules.programme.registry.sheet import (
    MAX_BYTES,
    MAX_ROWS,
    ImportResult,
    SheetRejected,
    parse_workbook,
)
from loom.modules.programme.registry.sheet_write import (
    error_workbook,
    export_workbook,
    template_workbook,
)

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "SECTORS",
    "SIZES",
    "CellError",
    "ImportResult",
    "InvalidCreditCode",
    "RegistryRow",
    "SheetRejected",
    "error_workbook",
    "export_workbook",
    "make_code",
    "parse_workbook",
    "template_workbook",
    "towns",
    "validate",
]

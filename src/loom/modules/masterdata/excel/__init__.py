"""Excel workbooks of the master data: pure openpyxl reading and writing, no database."""

from loom.modules.masterdata.excel.cells import MAX_BYTES, CellError, SheetRejected
from loom.modules.masterdata.excel.layout import (
    BOM,
    OPERATIONS,
    ROUTINGS,
    SHEETS,
    STYLES,
    SheetSpec,
)
from loom.modules.masterdata.excel.read import ParsedBook, ParsedSheet, SheetRow, parse_workbook
from loom.modules.masterdata.excel.write import template_workbook, write_workbook

__all__ = [
    "BOM",
    "MAX_BYTES",
    "OPERATIONS",
    "ROUTINGS",
    "SHEETS",
    "STYLES",
    "CellError",
    "ParsedBook",
    "ParsedSheet",
    "SheetRejected",
    "SheetRow",
    "SheetSpec",
    "parse_workbook",
    "template_workbook",
    "write_workbook",
]

"""The master-data workbook's sheets and columns, with Chinese and English headers.

A sheet or column is recognised by its Chinese title, its English title or its key, so an
export in either language reads back, and extra columns (a note) are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from loom.modules.masterdata.excel.cells import msgid


@dataclass(frozen=True)
class Column:
    """One column: key, Chinese header, English header (an msgid), required or not."""

    key: str
    zh: str
    en: str
    required: bool = False
    width: int = 16


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of the workbook and its columns in order."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]

    def title(self, locale: str) -> str:
        """Return the sheet's title in ``locale``."""
        return self.zh if locale == "zh_CN" else self.en

    def column(self, key: str) -> Column:
        """Return the column of ``key``."""
        return next(c for c in self.columns if c.key == key)


STYLES: Final = SheetSpec(
    "styles",
    "款式",
    msgid("Styles"),
    (
        Column("code", "款号", msgid("Style code"), required=True),
        Column("name", "款名", msgid("Style name"), required=True, width=24),
        Column("season", "季节", msgid("Season")),
        Column("customer", "客户", msgid("Customer"), width=20),
        Column("colours", "颜色", msgid("Colours"), width=30),
        Column("sizes", "尺码", msgid("Sizes"), width=30),
    ),
)
OPERATIONS: Final = SheetSpec(
    "operations",
    "工序",
    msgid("Operations"),
    (
        Column("code", "工序编号", msgid("Operation code"), required=True),
        Column("name", "工序名称", msgid("Operation name"), required=True, width=24),
        Column("sam", "标准工时(分钟)", msgid("SAM (minutes)"), required=True),
        Column("machine_type", "机种", msgid("Machine type"), required=True),
        Column("skill_grade", "技能等级", msgid("Skill grade"), required=True),
        Column("rate", "工价(元/件)", msgid("Piece rate (CNY)")),
        Column("effective_from", "生效日期", msgid("Effective from")),
    ),
)
ROUTINGS: Final = SheetSpec(
    "routings",
    "工艺路线",
    msgid("Routings"),
    (
        Column("style_code", "款号", msgid("Style code"), required=True),
        Column("seq", "顺序", msgid("Sequence"), required=True, width=8),
        Column("operation_code", "工序编号", msgid("Operation code"), required=True),
        Column("predecessors", "前道工序", msgid("Predecessor operations"), width=30),
    ),
)
BOM: Final = SheetSpec(
    "bom",
    "物料清单",
    msgid("BOM"),
    (
        Column("style_code", "款号", msgid("Style code"), required=True),
        Column("material_code", "物料编号", msgid("Material code"), required=True),
        Column("material_name", "物料名称", msgid("Material name"), required=True, width=24),
        Column("kind", "类别", msgid("Kind"), required=True, width=10),
        Column("unit", "单位", msgid("Unit"), required=True, width=10),
        Column("size", "尺码", msgid("Garment size"), required=True, width=10),
        Column("consumption", "单耗", msgid("Consumption per piece"), required=True),
    ),
)
SHEETS: Final = (STYLES, OPERATIONS, ROUTINGS, BOM)
SHEETS_BY_KEY: Final = {sheet.key: sheet for sheet in SHEETS}


def _norm(text: str) -> str:
    # "SAM (minutes)", "sam(minutes)" and "SAM（分钟）" are the same header to a reader
    return "".join(text.lower().replace("（", "(").replace("）", ")").split())


def match_sheet(title: str) -> SheetSpec | None:
    """Return the sheet a worksheet title names, if any."""
    wanted = _norm(title)
    for sheet in SHEETS:
        if wanted in {_norm(sheet.zh), _norm(sheet.en), sheet.key}:
            return sheet
    return None


def match_column(sheet: SheetSpec, header: str) -> Column | None:
    """Return the column of ``sheet`` a header names, if any."""
    wanted = _norm(header)
    for column in sheet.columns:
        if wanted in {_norm(column.zh), _norm(column.en), column.key}:
            return column
    return None

"""Every user-facing text of the registry spreadsheets, in one place (Chinese: the sheets are)."""

from __future__ import annotations

from typing import Final

from loom.modules.programme.registry.creditcode import InvalidCreditCode

# --- whole-file refusals -------------------------------------------------------------------
NOT_XLSX: Final = (
    "无法读取该文件：请上传 .xlsx 格式的 Excel 文件（不支持 .xls、.csv、WPS 加密文件）。"
)
TOO_LARGE: Final = "文件超过 {limit_mb} MB，请拆分成多个文件分批导入。"
TOO_MANY_ROWS: Final = "数据超过 {limit} 行，请拆分成多个文件分批导入。"
EMPTY_SHEET: Final = "第一个工作表是空的：第一行应为列标题，从第二行起每行一家企业。"
NO_HEADER: Final = "第一个工作表找不到列标题（如“企业名称”“统一社会信用代码”），请使用导入模板。"

# --- header problems (reported against the header row) -------------------------------------
MISSING_COLUMN: Final = "缺少必填列“{header}”"
DUPLICATE_COLUMN: Final = "列“{header}”出现了不止一次，请只保留一列"

# --- cell problems -------------------------------------------------------------------------
REQUIRED: Final = "必填，不能为空"
TOO_LONG: Final = "不能超过 {limit} 个字（现在 {length} 个）"
NOT_A_TEXT: Final = "应为文字，不能是日期或公式错误"
CODE_AS_NUMBER: Final = (
    "统一社会信用代码被 Excel 存成了数字，末几位已经丢失：请把这一列设为“文本”格式后重新填写"
)
CODE_DUPLICATE_IN_FILE: Final = "与第 {row} 行的统一社会信用代码重复"
CODE_EXISTS: Final = "该统一社会信用代码已在企业名录中，不能重复导入"
EXAMPLE_ROW: Final = "这是模板里的示例行，请删除后再导入"
UNKNOWN_SECTOR: Final = "行业“{got}”无效，应为：{choices}"
UNKNOWN_SIZE: Final = "规模“{got}”无效，应为：{choices}"
UNKNOWN_TOWN: Final = "“{got}”不是海曙区的镇乡街道，请从下拉列表中选择"
NOT_AN_INTEGER: Final = "应为整数，现在是“{got}”"
NEGATIVE: Final = "不能为负数"
NOT_A_NUMBER: Final = "应为数字（单位：万元），现在是“{got}”"
TOO_MANY_DECIMALS: Final = "最多保留两位小数"
TOO_BIG: Final = "数值过大（最大 {limit}）"
NOT_YES_NO: Final = "应填“是”或“否”，现在是“{got}”"
BAD_PHONE: Final = "“{got}”不是有效的电话号码：手机为 11 位数字，座机如 0574-87654321"

_CODE_PROBLEMS: Final = {
    "empty": REQUIRED,
    "length": "统一社会信用代码应为 18 位，现在是 {got} 位",
    "character": (
        "第 {position} 位“{got}”不是合法字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）"
    ),
    "authority": "第 1 位登记管理部门代码“{got}”无效，应为 {expected} 之一",
    "category": "第 2 位机构类别代码“{got}”与第 1 位登记管理部门不匹配，应为 {expected} 之一",
    "division": "第 3—8 位行政区划码应为 6 位数字，第 {position} 位是“{got}”",
    "organisation_check": "第 17 位（组织机构代码校验码）应为 {expected}，现在是 {got}",
    "check": "第 18 位校验码应为 {expected}，现在是 {got}",
}


def credit_code_problem(error: InvalidCreditCode) -> str:
    """The sheet message for a credit code that failed validation."""
    template = _CODE_PROBLEMS.get(error.problem, "统一社会信用代码无效")
    return template.format(position=error.position, expected=error.expected, got=error.got)


# --- the error workbook --------------------------------------------------------------------
ERROR_COLUMN: Final = "错误"
ERROR_SHEET: Final = "错误"
ERROR_SHEET_HEADERS: Final = ("行", "列", "问题")
ERROR_SHEET_NOTE: Final = "共 {count} 处问题，改正后请重新上传；全部改正之前不会导入任何一行。"
WHOLE_ROW: Final = "（整行）"
MESSAGE_SEPARATOR: Final = "；"

# --- the template --------------------------------------------------------------------------
DATA_SHEET: Final = "企业名录"
HELP_SHEET: Final = "填写说明"
EXAMPLE_NAME: Final = "宁波示例服饰有限公司（示例行，导入前请删除）"
EXAMPLE_SUB_SECTOR: Final = "针织运动服"
EXAMPLE_CONTACT: Final = "张三"
REQUIRED_MARK: Final = "必填"
OPTIONAL_MARK: Final = "选填"
HELP_HEADERS: Final = ("列", "是否必填", "填写要求")
HELP_INTRO: Final = (
    "每行一家企业；第一行是列标题，请勿修改。第二行是示例，导入前请删除。"
    "任何一行有问题时整个文件都不会导入，系统会返回标出问题的文件。"
)
DROPDOWN_ERROR_TITLE: Final = "输入无效"
DROPDOWN_ERROR: Final = "请从下拉列表中选择"
COLUMN_HELP: Final = {
    "name": "营业执照上的全称，不超过 200 字",
    "credit_code": "18 位统一社会信用代码；请把这一列设为“文本”格式",
    "sector": "从下拉列表选择：{sectors}",
    "sub_sector": "如 针织运动服、户外服装，不超过 100 字",
    "size": "规上（规模以上工业企业）或 规下",
    "town": "企业所在的海曙区镇乡街道，从下拉列表选择",
    "employees": "不小于 0 的整数",
    "revenue_wan": "上一年度营业收入，单位万元，最多两位小数",
    "cloud": "是 或 否",
    "contact_name": "不超过 60 字",
    "contact_phone": "手机 11 位，或座机如 0574-87654321",
}

"""Every coded problem the engine reports, with its English msgid and its Chinese text."""

from __future__ import annotations

from typing import Final

from loom.modules.programme.engine.errors import Problem

#: code -> (English msgid, Chinese); both use the same %(name)s parameters
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # lifecycle
    "unknown_status": ("unknown project status %(status)s", "未知的项目状态 %(status)s"),
    "unknown_action": ("unknown action %(action)s", "未知的操作 %(action)s"),
    "unknown_honour": ("unknown designation %(honour)s", "未知的称号 %(honour)s"),
    "wrong_status": (
        "%(action)s needs the project to be %(expected)s; it is %(status)s",
        "“%(action_zh)s”要求项目处于%(expected_zh)s状态,当前为%(status_zh)s",
    ),
    "final_status": (
        "the project is %(status)s: no further step is possible",
        "项目已%(status_zh)s,不能再变更",
    ),
    "already_designated": (
        "the project is already a %(honour)s",
        "项目已被评为%(honour_zh)s",
    ),
    "reason_required": ("%(action)s needs a reason", "“%(action_zh)s”须填写理由"),
    "no_contractor": (
        "a general contractor must be assigned before approval",
        "立项前须确定总承包商",
    ),
    "contract_not_signed": (
        "the contract must be signed before work starts",
        "开始实施前须签订改造合同",
    ),
    "no_plan": (
        "a plan to digital level 2 must be recorded before work starts",
        "开始实施前须制定达到数字化水平二级的改造规划",
    ),
    "no_before_assessment": (
        "the on-site assessment before transformation must be recorded before work starts",
        "开始实施前须录入改造前现场评测结果",
    ),
    "no_investment": (
        "record the project's investment lines before asking for acceptance",
        "申请验收前须登记项目投入明细",
    ),
    "no_onsite_after": (
        "the on-site assessment after transformation must be recorded first",
        "须先录入改造后现场评测结果",
    ),
    "level_below_minimum": (
        "the on-site assessment after transformation found level %(level)s; "
        "acceptance needs level %(min_level)s or above",
        "改造后现场评测为%(level)s级,验收须达到%(min_level)s级及以上",
    ),
    "evaluation_not_decided": (
        "the expert group's evaluation must pass the project first",
        "须先由专家组综合评价通过",
    ),
    # selection
    "no_quota": (
        "this batch has no places for the sector %(sector)s",
        "本批次没有%(sector_zh)s行业名额",
    ),
    "quota_full": (
        "the batch's %(quota)s places for the sector %(sector)s are taken",
        "本批次%(sector_zh)s行业%(quota)s个名额已满",
    ),
    "below_min_score": (
        "score %(score)s is below the minimum of %(min_score)s",
        "得分%(score)s低于最低分%(min_score)s",
    ),
    "not_first": (
        "ranked %(position)s in the sector; one general contractor is chosen per sector",
        "行业排名第%(position)s;每个行业只确定一家总承包商",
    ),
    # consortia (联合体)
    "duplicate_bid": ("bid %(bid)s is listed twice", "申报 %(bid)s 重复出现"),
    "lead_is_member": (
        "bid %(bid)s lists its lead %(org)s among its members",
        "申报 %(bid)s 的牵头单位 %(org)s 同时列为成员",
    ),
    "leads_two_bids": (
        "organisation %(org)s leads several bids in the sector %(sector)s: %(bids)s",
        "机构 %(org)s 在%(sector)s行业牵头多个申报:%(bids)s",
    ),
    "in_two_bids": (
        "organisation %(org)s takes part in competing bids in the sector %(sector)s: %(bids)s",
        "机构 %(org)s 参与%(sector)s行业多个相互竞争的申报:%(bids)s",
    ),
    # N+X
    "no_sector_pilots": (
        "the sector has no pilots yet, so every need counts as X",
        "该行业尚无试点企业,所有需求暂列为X(个性需求)",
    ),
    "outside_sector": (
        "%(count)s enterprises with this need are not pilots of the sector and were not counted",
        "有%(count)s家提出该需求的企业不是本行业试点企业,未计入",
    ),
}


def problem(code: str, **params: str | int) -> Problem:
    """Return the problem ``code`` with its parameters; raise ``KeyError`` for an unknown code."""
    english, chinese = MESSAGES[code]
    return Problem(code, english, chinese, params)

"""The transformation project's lifecycle: statuses, designations, actions and their rules.

::

    applied ─approve→ approved ─start→ in_progress ─request_acceptance→ acceptance_requested
    acceptance_requested ─begin_review→ onsite_review ─accept→ accepted (final)
    onsite_review ─require_rectification→ rectification ─resume→ in_progress
    any status but accepted/withdrawn ─withdraw→ withdrawn (final)
    accepted ─designate_*→ accepted, with one more honour (each honour at most once)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from loom.modules.programme.engine.errors import IllegalTransition, Problem
from loom.modules.programme.engine.messages import problem

#: the plan's rule (四(二)3/4: 确保通过验收的企业数字化水平达到二级及以上) when no plan is given
DEFAULT_ACCEPTANCE_MIN_LEVEL: Final = 2


class ProjectStatus(StrEnum):
    """Where a project stands."""

    APPLIED = "applied"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    ACCEPTANCE_REQUESTED = "acceptance_requested"
    ONSITE_REVIEW = "onsite_review"
    ACCEPTED = "accepted"
    RECTIFICATION = "rectification"
    WITHDRAWN = "withdrawn"


class Honour(StrEnum):
    """A designation an accepted pilot may receive (四(二)4, 四(四)11)."""

    REGIONAL_SAMPLE = "regional_sample"
    MUNICIPAL_SAMPLE = "municipal_sample"
    BENCHMARK = "benchmark"


class ProjectAction(StrEnum):
    """A step a party takes on a project."""

    APPROVE = "approve"
    START = "start"
    REQUEST_ACCEPTANCE = "request_acceptance"
    BEGIN_REVIEW = "begin_review"
    ACCEPT = "accept"
    REQUIRE_RECTIFICATION = "require_rectification"
    RESUME = "resume"
    WITHDRAW = "withdraw"
    DESIGNATE_REGIONAL_SAMPLE = "designate_regional_sample"
    DESIGNATE_MUNICIPAL_SAMPLE = "designate_municipal_sample"
    DESIGNATE_BENCHMARK = "designate_benchmark"


# short aliases keep the transition table readable
_S = ProjectStatus
_A = ProjectAction

FINAL_STATUSES: Final = frozenset({_S.ACCEPTED, _S.WITHDRAWN})
STATUS_ZH: Final[Mapping[ProjectStatus, str]] = MappingProxyType(
    {
        _S.APPLIED: "申报",
        _S.APPROVED: "立项",
        _S.IN_PROGRESS: "实施中",
        _S.ACCEPTANCE_REQUESTED: "申请验收",
        _S.ONSITE_REVIEW: "现场评定",
        _S.ACCEPTED: "验收通过",
        _S.RECTIFICATION: "整改",
        _S.WITHDRAWN: "撤销",
    }
)
HONOUR_ZH: Final[Mapping[Honour, str]] = MappingProxyType(
    {
        Honour.REGIONAL_SAMPLE: "区域样本",
        Honour.MUNICIPAL_SAMPLE: "市级样本",
        Honour.BENCHMARK: "标杆",
    }
)
ACTION_ZH: Final[Mapping[ProjectAction, str]] = MappingProxyType(
    {
        _A.APPROVE: "立项",
        _A.START: "开始实施",
        _A.REQUEST_ACCEPTANCE: "申请验收",
        _A.BEGIN_REVIEW: "开始现场评定",
        _A.ACCEPT: "验收通过",
        _A.REQUIRE_RECTIFICATION: "要求整改",
        _A.RESUME: "恢复实施",
        _A.WITHDRAW: "撤销",
        _A.DESIGNATE_REGIONAL_SAMPLE: "评为区域样本",
        _A.DESIGNATE_MUNICIPAL_SAMPLE: "评为市级样本",
        _A.DESIGNATE_BENCHMARK: "评为标杆",
    }
)


@dataclass(frozen=True, slots=True)
class ActionRule:
    """What an action needs and does; ``to_status`` is ``None`` when the status stays."""

    action: ProjectAction
    from_statuses: frozenset[ProjectStatus]
    to_status: ProjectStatus | None
    permission: str
    reason_required: bool
    honour: Honour | None = None


def _rule(
    action: ProjectAction,
    sources: Iterable[ProjectStatus],
    target: ProjectStatus | None,
    *,
    reason: bool = False,
    honour: Honour | None = None,
) -> ActionRule:
    # the three designations are one decision (评选样本) and share one permission
    name = "designate" if honour is not None else action.value
    return ActionRule(
        action, frozenset(sources), target, f"programme.project.{name}", reason, honour
    )


ACTION_RULES: Final[Mapping[ProjectAction, ActionRule]] = MappingProxyType(
    {
        rule.action: rule
        for rule in (
            _rule(_A.APPROVE, [_S.APPLIED], _S.APPROVED),
            _rule(_A.START, [_S.APPROVED], _S.IN_PROGRESS),
            _rule(_A.REQUEST_ACCEPTANCE, [_S.IN_PROGRESS], _S.ACCEPTANCE_REQUESTED),
            _rule(_A.BEGIN_REVIEW, [_S.ACCEPTANCE_REQUESTED], _S.ONSITE_REVIEW),
            _rule(_A.ACCEPT, [_S.ONSITE_REVIEW], _S.ACCEPTED, reason=True),
            _rule(_A.REQUIRE_RECTIFICATION, [_S.ONSITE_REVIEW], _S.RECTIFICATION, reason=True),
            _rule(_A.RESUME, [_S.RECTIFICATION], _S.IN_PROGRESS),
            _rule(_A.WITHDRAW, set(_S) - FINAL_STATUSES, _S.WITHDRAWN, reason=True),
            _rule(_A.DESIGNATE_REGIONAL_SAMPLE, [_S.ACCEPTED], None, honour=Honour.REGIONAL_SAMPLE),
            _rule(
                _A.DESIGNATE_MUNICIPAL_SAMPLE, [_S.ACCEPTED], None, honour=Honour.MUNICIPAL_SAMPLE
            ),
            _rule(_A.DESIGNATE_BENCHMARK, [_S.ACCEPTED], None, honour=Honour.BENCHMARK),
        )
    }
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectFacts:
    """What the rules need to know about a project, gathered by the caller."""

    has_contractor: bool
    has_plan: bool  # a plan to digital level 2 is recorded
    onsite_after_level: int | None  # level of the latest on-site assessment after transformation
    has_before_assessment: bool  # the on-site assessment before transformation is recorded
    acceptance_decided: bool  # the expert group's evaluation passed the project
    batch_deadline: date | None
    today: date
    contract_signed: bool
    has_investment: bool  # at least one investment line is recorded


def permission_for(action: ProjectAction | str) -> str:
    """Return the permission a caller needs to take ``action``."""
    return ACTION_RULES[ProjectAction(action)].permission


def reason_required(action: ProjectAction | str) -> bool:
    """Return whether ``action`` must be given a reason."""
    return ACTION_RULES[ProjectAction(action)].reason_required


def _fact_problems(action: ProjectAction, facts: ProjectFacts, min_level: int) -> list[Problem]:
    if action is _A.APPROVE:
        return [] if facts.has_contractor else [problem("no_contractor")]
    if action is _A.START:
        missing = [
            (facts.contract_signed, "contract_not_signed"),
            (facts.has_plan, "no_plan"),
            # the baseline has to be taken before the factory changes, or it is no baseline
            (facts.has_before_assessment, "no_before_assessment"),
        ]
        return [problem(code) for held, code in missing if not held]
    if action is _A.REQUEST_ACCEPTANCE:
        return [] if facts.has_investment else [problem("no_investment")]
    if action is _A.BEGIN_REVIEW:
        return [] if facts.onsite_after_level is not None else [problem("no_onsite_after")]
    if action is _A.ACCEPT:
        found: list[Problem] = []
        level = facts.onsite_after_level
        if level is None:
            found.append(problem("no_onsite_after"))
        elif level < min_level:
            found.append(problem("level_below_minimum", level=level, min_level=min_level))
        if not facts.acceptance_decided:
            found.append(problem("evaluation_not_decided"))
        return found
    return []


def _status_problem(rule: ActionRule, status: ProjectStatus) -> Problem:
    if status in FINAL_STATUSES and rule.honour is None:
        return problem("final_status", status=status.value, status_zh=STATUS_ZH[status])
    expected = sorted(rule.from_statuses, key=list(_S).index)
    return problem(
        "wrong_status",
        action=rule.action.value,
        action_zh=ACTION_ZH[rule.action],
        expected=" | ".join(s.value for s in expected),
        expected_zh="、".join(STATUS_ZH[s] for s in expected),
        status=status.value,
        status_zh=STATUS_ZH[status],
    )


def _read(
    status: ProjectStatus | str, honours: Iterable[Honour | str], found: list[Problem]
) -> tuple[ProjectStatus | None, frozenset[Honour]]:
    try:
        current: ProjectStatus | None = ProjectStatus(status)
    except ValueError:
        found.append(problem("unknown_status", status=str(status)))
        current = None
    held = set()
    for honour in honours:
        try:
            held.add(Honour(honour))
        except ValueError:
            found.append(problem("unknown_honour", honour=str(honour)))
    return current, frozenset(held)


def check(
    status: ProjectStatus | str,
    honours: Iterable[Honour | str],
    action: ProjectAction | str,
    facts: ProjectFacts,
    *,
    reason: str | None = None,
    acceptance_min_level: int = DEFAULT_ACCEPTANCE_MIN_LEVEL,
) -> list[Problem]:
    """Return every reason ``action`` may not be taken now (empty: it may).

    ``reason=None`` skips the required-reason check, so that a page can ask before a reason is
    typed; ``apply`` always checks it.
    """
    found: list[Problem] = []
    current, held = _read(status, honours, found)
    try:
        rule = ACTION_RULES[ProjectAction(action)]
    except ValueError:
        return [*found, problem("unknown_action", action=str(action))]
    if current is not None and current not in rule.from_statuses:
        found.append(_status_problem(rule, current))
    if rule.honour is not None and rule.honour in held:
        found.append(
            problem(
                "already_designated", honour=rule.honour.value, honour_zh=HONOUR_ZH[rule.honour]
            )
        )
    if reason is not None and rule.reason_required and not reason.strip():
        found.append(
            problem("reason_required", action=rule.action.value, action_zh=ACTION_ZH[rule.action])
        )
    found.extend(_fact_problems(rule.action, facts, acceptance_min_level))
    return found


def apply(
    status: ProjectStatus | str,
    honours: Iterable[Honour | str],
    action: ProjectAction | str,
    facts: ProjectFacts,
    *,
    reason: str = "",
    acceptance_min_level: int = DEFAULT_ACCEPTANCE_MIN_LEVEL,
) -> tuple[ProjectStatus, frozenset[Honour]]:
    """Return the status and honours after ``action``; raise ``IllegalTransition`` if refused."""
    honours = tuple(honours)
    found = check(
        status,
        honours,
        action,
        facts,
        reason=reason,
        acceptance_min_level=acceptance_min_level,
    )
    if found:
        raise IllegalTransition(str(action), found)
    rule = ACTION_RULES[ProjectAction(action)]
    held = frozenset(Honour(h) for h in honours)
    if rule.honour is not None:
        held |= {rule.honour}
    return rule.to_status or ProjectStatus(status), held


def allowed_actions(
    status: ProjectStatus | str, honours: Iterable[Honour | str]
) -> list[ProjectAction]:
    """Return the actions the status and honours allow, ignoring facts (for showing buttons)."""
    current, held = _read(status, honours, [])
    if current is None:
        return []
    return [
        rule.action
        for rule in ACTION_RULES.values()
        if current in rule.from_statuses and (rule.honour is None or rule.honour not in held)
    ]


def is_final(status: ProjectStatus | str) -> bool:
    """Return whether no further status change is possible."""
    return ProjectStatus(status) in FINAL_STATUSES


def is_overdue(status: ProjectStatus | str, batch_deadline: date | None, today: date) -> bool:
    """Return whether the project is neither accepted nor withdrawn after its batch deadline.

    The deadline day itself is still in time.
    """
    if batch_deadline is None or is_final(status):
        return False
    return today > batch_deadline

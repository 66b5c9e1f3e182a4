"""Project lifecycle: every legal step, a table of refused ones with their reasons, deadlines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from loom.kernel.errors import Conflict
from loom.modules.programme.engine import (
    ACTION_RULES,
    Honour,
    IllegalTransition,
    ProjectAction,
    ProjectFacts,
    ProjectStatus,
    allowed_actions,
    apply,
    builtin_plan,
    check,
    is_overdue,
    permission_for,
)
from loom.modules.programme.permissions import PERMISSIONS

S = ProjectStatus
A = ProjectAction
H = Honour

#: a project for which every rule holds
READY = ProjectFacts(
    has_contractor=True,
    has_plan=True,
    onsite_after_level=2,
    has_before_assessment=True,
    acceptance_decided=True,
    batch_deadline=date(2024, 12, 31),
    today=date(2024, 6, 1),
    contract_signed=True,
    has_investment=True,
)
NON_FINAL = [s for s in S if s not in (S.ACCEPTED, S.WITHDRAWN)]


def facts(**changes: Any) -> ProjectFacts:
    return replace(READY, **changes)


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (S.APPLIED, A.APPROVE, S.APPROVED),
        (S.APPROVED, A.START, S.IN_PROGRESS),
        (S.IN_PROGRESS, A.REQUEST_ACCEPTANCE, S.ACCEPTANCE_REQUESTED),
        (S.ACCEPTANCE_REQUESTED, A.BEGIN_REVIEW, S.ONSITE_REVIEW),
        (S.ONSITE_REVIEW, A.ACCEPT, S.ACCEPTED),
        (S.ONSITE_REVIEW, A.REQUIRE_RECTIFICATION, S.RECTIFICATION),
        (S.RECTIFICATION, A.RESUME, S.IN_PROGRESS),
        *((status, A.WITHDRAW, S.WITHDRAWN) for status in NON_FINAL),
    ],
)
def test_every_legal_transition(status: S, action: A, after: S) -> None:
    assert check(status, (), action, READY, reason="专家组意见") == []
    assert apply(status, (), action, READY, reason="专家组意见") == (after, frozenset())


@pytest.mark.parametrize(
    ("action", "honour"),
    [
        (A.DESIGNATE_REGIONAL_SAMPLE, H.REGIONAL_SAMPLE),
        (A.DESIGNATE_MUNICIPAL_SAMPLE, H.MUNICIPAL_SAMPLE),
        (A.DESIGNATE_BENCHMARK, H.BENCHMARK),
    ],
)
def test_designations_keep_the_status_and_add_one_honour(action: A, honour: H) -> None:
    assert apply("accepted", [], action, READY) == (S.ACCEPTED, frozenset({honour}))


def test_a_project_collects_all_three_honours() -> None:
    status, honours = S.ACCEPTED, frozenset[H]()
    for action in (
        A.DESIGNATE_REGIONAL_SAMPLE,
        A.DESIGNATE_MUNICIPAL_SAMPLE,
        A.DESIGNATE_BENCHMARK,
    ):
        status, honours = apply(status, honours, action, READY)
    assert honours == set(H)
    assert allowed_actions(status, honours) == []


@pytest.mark.parametrize(
    ("status", "honours", "action", "changes", "reason", "codes"),
    [
        ("applied", [], A.START, {}, "", ["wrong_status"]),
        ("approved", [], A.APPROVE, {}, "", ["wrong_status"]),
        ("in_progress", [], A.BEGIN_REVIEW, {}, "", ["wrong_status"]),
        ("rectification", [], A.REQUEST_ACCEPTANCE, {}, "", ["wrong_status"]),
        ("acceptance_requested", [], A.REQUIRE_RECTIFICATION, {}, "why", ["wrong_status"]),
        ("in_progress", [], A.RESUME, {}, "", ["wrong_status"]),
        ("accepted", [], A.WITHDRAW, {}, "late", ["final_status"]),
        ("withdrawn", [], A.RESUME, {}, "", ["final_status"]),
        ("withdrawn", [], A.WITHDRAW, {}, "again", ["final_status"]),
        ("withdrawn", [], A.DESIGNATE_BENCHMARK, {}, "", ["wrong_status"]),
        ("in_progress", [], A.DESIGNATE_REGIONAL_SAMPLE, {}, "", ["wrong_status"]),
        (
            "accepted",
            ["municipal_sample"],
            A.DESIGNATE_MUNICIPAL_SAMPLE,
            {},
            "",
            ["already_designated"],
        ),
        ("onsite_review", [], A.ACCEPT, {}, "  ", ["reason_required"]),
        ("onsite_review", [], A.REQUIRE_RECTIFICATION, {}, "", ["reason_required"]),
        ("approved", [], A.WITHDRAW, {}, "", ["reason_required"]),
        ("applied", [], A.APPROVE, {"has_contractor": False}, "", ["no_contractor"]),
        (
            "approved",
            [],
            A.START,
            {"contract_signed": False, "has_plan": False, "has_before_assessment": False},
            "",
            ["contract_not_signed", "no_plan", "no_before_assessment"],
        ),
        ("in_progress", [], A.REQUEST_ACCEPTANCE, {"has_investment": False}, "", ["no_investment"]),
        (
            "acceptance_requested",
            [],
            A.BEGIN_REVIEW,
            {"onsite_after_level": None},
            "",
            ["no_onsite_after"],
        ),
        ("onsite_review", [], A.ACCEPT, {"onsite_after_level": 1}, "ok", ["level_below_minimum"]),
        ("onsite_review", [], A.ACCEPT, {"onsite_after_level": None}, "ok", ["no_onsite_after"]),
        (
            "onsite_review",
            [],
            A.ACCEPT,
            {"acceptance_decided": False},
            "ok",
            ["evaluation_not_decided"],
        ),
        # every reason at once, not just the first
        (
            "in_progress",
            [],
            A.ACCEPT,
            {"onsite_after_level": 1, "acceptance_decided": False},
            "",
            ["wrong_status", "reason_required", "level_below_minimum", "evaluation_not_decided"],
        ),
        ("archived", ["gold"], A.APPROVE, {}, "", ["unknown_status", "unknown_honour"]),
        ("applied", [], "promote", {}, "", ["unknown_action"]),
    ],
)
def test_illegal_transitions_are_refused_with_every_reason(
    status: str,
    honours: list[str],
    action: str,
    changes: dict[str, Any],
    reason: str,
    codes: list[str],
) -> None:
    given = facts(**changes)
    assert [p.code for p in check(status, honours, action, given, reason=reason)] == codes
    with pytest.raises(IllegalTransition) as caught:
        apply(status, honours, action, given, reason=reason)
    assert [p.code for p in caught.value.problems] == codes
    assert isinstance(caught.value, Conflict)  # answered 409 if nothing catches it


def test_acceptance_needs_level_two_and_not_one() -> None:
    refused = check("onsite_review", (), "accept", facts(onsite_after_level=1), reason="ok")
    assert [p.message for p in refused] == [
        "the on-site assessment after transformation found level 1; "
        "acceptance needs level 2 or above"
    ]
    assert refused[0].message_zh == "改造后现场评测为1级,验收须达到2级及以上"
    assert (
        apply("onsite_review", (), "accept", facts(onsite_after_level=2), reason="ok")[0]
        is S.ACCEPTED
    )
    assert (
        apply("onsite_review", (), "accept", facts(onsite_after_level=4), reason="ok")[0]
        is S.ACCEPTED
    )


def test_the_acceptance_level_comes_from_the_plan() -> None:
    plan_level = builtin_plan().acceptance_min_level
    assert plan_level == 2
    stricter = check("onsite_review", (), "accept", READY, reason="ok", acceptance_min_level=3)
    assert [p.code for p in stricter] == ["level_below_minimum"]


def test_check_without_a_reason_skips_the_reason_rule() -> None:
    assert check("onsite_review", (), "accept", READY) == []
    assert [p.code for p in check("onsite_review", (), "accept", READY, reason="")] == [
        "reason_required"
    ]


def test_the_wrong_status_message_names_both_statuses() -> None:
    [refused] = check("in_progress", (), "approve", READY)
    assert refused.message == "approve needs the project to be applied; it is in_progress"
    assert refused.message_zh == "“立项”要求项目处于申报状态,当前为实施中"


def test_allowed_actions_follow_status_and_honours() -> None:
    assert allowed_actions("applied", ()) == [A.APPROVE, A.WITHDRAW]
    assert allowed_actions("onsite_review", ()) == [A.ACCEPT, A.REQUIRE_RECTIFICATION, A.WITHDRAW]
    assert allowed_actions("accepted", ["benchmark"]) == [
        A.DESIGNATE_REGIONAL_SAMPLE,
        A.DESIGNATE_MUNICIPAL_SAMPLE,
    ]
    assert allowed_actions("withdrawn", ()) == []
    assert allowed_actions("archived", ()) == []


def test_every_action_has_a_registered_permission() -> None:
    registered = {permission.name for permission in PERMISSIONS}
    assert permission_for("approve") == "programme.project.approve"
    assert {permission_for(a) for a in A if a.value.startswith("designate")} == {
        "programme.project.designate"
    }
    assert {rule.permission for rule in ACTION_RULES.values()} <= registered
    assert {a for a, rule in ACTION_RULES.items() if rule.reason_required} == {
        A.ACCEPT,
        A.REQUIRE_RECTIFICATION,
        A.WITHDRAW,
    }


@pytest.mark.parametrize(
    ("status", "today", "overdue"),
    [
        ("in_progress", date(2024, 12, 31), False),  # the deadline day is still in time
        ("in_progress", date(2025, 1, 1), True),
        ("applied", date(2025, 1, 1), True),
        ("rectification", date(2025, 1, 1), True),
        ("accepted", date(2025, 1, 1), False),
        ("withdrawn", date(2025, 1, 1), False),
    ],
)
def test_overdue_only_after_the_deadline_day(status: str, today: date, overdue: bool) -> None:
    assert is_overdue(status, date(2024, 12, 31), today) is overdue


def test_no_deadline_is_never_overdue() -> None:
    assert is_overdue("in_progress", None, date(2030, 1, 1)) is False

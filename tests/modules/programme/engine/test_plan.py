"""The shipped plan encodes sections 三, 四 and 五; broken plans are refused naming each path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from loom.kernel.errors import ValidationFailed
from loom.modules.programme.engine import (
    Honour,
    PlanError,
    ProjectStatus,
    builtin_plan,
    builtin_plan_document,
    builtin_plan_ids,
    builtin_plan_text,
    load_plan,
)

SEED = (
    Path(__file__).resolve().parents[3] / "data" / "haishu-action-plan-2024.txt"
)  # tests/data/README.md

Edit = Callable[[dict[str, Any]], None]


def refused(edit: Edit) -> list[str]:
    """Return the paths of the problems of the shipped plan after ``edit``."""
    document = builtin_plan_document()
    edit(document)
    with pytest.raises(PlanError) as caught:
        load_plan(document)
    return [problem.path for problem in caught.value.problems]


def test_the_shipped_plan_loads_and_holds_the_plans_numbers() -> None:
    plan = builtin_plan()
    assert builtin_plan_ids() == ["haishu-2024.v1"]
    assert plan.id == "haishu-2024.v1"
    assert plan.version == 1
    assert [s.id for s in plan.sectors] == ["apparel", "nev_parts", "home_appliances"]
    assert plan.sector_names()["nev_parts"] == "新能源汽车零部件"
    assert plan.programme_start == date(2023, 9, 1)
    assert plan.programme_end == date(2025, 12, 31)
    phase_1, phase_2 = plan.phases
    assert (phase_1.start, phase_1.end) == (date(2023, 9, 1), date(2024, 12, 31))
    assert (phase_2.start, phase_2.end) == (date(2024, 12, 1), date(2025, 12, 31))
    assert len(phase_1.tasks) == 3
    assert len(phase_2.tasks) == 2
    batch_1, batch_2 = plan.batches
    assert (batch_1.deadline, batch_1.total) == (date(2024, 12, 31), 24)
    assert (batch_1.quota("apparel"), batch_1.quota("home_appliances")) == (23, 1)
    assert (batch_2.deadline, batch_2.total) == (date(2025, 12, 31), 31)
    assert (batch_2.quota("apparel"), batch_2.quota("nev_parts")) == (25, 6)
    assert dict(plan.pilot_totals.quotas) == {"apparel": 48, "nev_parts": 6, "home_appliances": 1}
    assert plan.pilot_totals.total == 55
    assert plan.batch_deadline("batch-2") == date(2025, 12, 31)
    assert plan.batch_deadline("batch-9") is None
    assert plan.batch_deadline(None) is None


def test_the_shipped_targets() -> None:
    plan = builtin_plan()
    expected = {
        "batch-1-pilots": (24, "2024-12-31"),
        "batch-1-pilots-apparel": (23, "2024-12-31"),
        "batch-1-pilots-home-appliances": (1, "2024-12-31"),
        "municipal-samples-2024": (2, "2024-12-31"),
        "batch-2-pilots": (31, "2025-12-31"),
        "all-pilots": (55, "2025-12-31"),
        "all-pilots-apparel": (48, "2025-12-31"),
        "all-pilots-nev-parts": (6, "2025-12-31"),
        "all-pilots-home-appliances": (1, "2025-12-31"),
        "municipal-samples-2025": (4, "2025-12-31"),
        "smart-factories": (7, "2025-12-31"),
        "products": (38, "2025-12-31"),
        "level2-share": (90, "2025-12-31"),
        "cloud-share": (90, "2025-12-31"),
    }
    found = {t.id: (int(t.value), t.deadline.isoformat()) for t in plan.targets}
    assert found == expected
    assert all(t.comparator == ">=" for t in plan.targets)
    assert plan.target("level2-share").unit == "percent"
    assert plan.target("level2-share").required == Decimal("0.9")
    assert plan.target("batch-1-pilots-apparel").sector == "apparel"
    assert plan.target("batch-1-pilots-apparel").batch == "batch-1"


def test_the_shipped_weights_and_parameters() -> None:
    plan = builtin_plan()
    assert plan.pilot_weights() == dict.fromkeys(
        ["leader_will", "stable_operations", "management_base", "digital_base", "replicable"], 20
    )
    assert plan.pilot_max_scores() == dict.fromkeys(plan.pilot_weights(), 100)
    assert plan.criterion_weights() == dict.fromkeys(
        ["technology_products", "sector_experience", "service_staff", "ecosystem_resources"], 25
    )
    # exact decimals as written, never floats
    assert plan.group_weights() == {
        "experts": Decimal("0.5"),
        "associations": Decimal("0.25"),
        "pilot_enterprises": Decimal("0.25"),
    }
    assert {g.weight_origin for g in plan.evaluator_groups} == {"loom_default"}
    assert [s.id for s in plan.business_stages] == [
        "rd_design",
        "manufacturing",
        "operations",
        "purchasing_sales",
        "chain_collaboration",
    ]
    assert plan.n_share_threshold == Decimal("0.5")
    assert plan.acceptance_min_level == 2
    assert plan.pilot_min_score is None
    assert plan.provenance["acceptance_min_level"].origin == "plan"
    assert plan.provenance["n_share_threshold"].origin == "loom_default"
    assert [s.id for s in plan.project_statuses] == list(ProjectStatus)
    assert [h.id for h in plan.honours] == list(Honour)


def test_every_source_quotes_the_plan_verbatim() -> None:
    seed = SEED.read_text(encoding="utf-8")
    plan = builtin_plan()
    quoted = [
        *(s.source for s in plan.sectors),
        *(p.source for p in plan.phases),
        *(task for p in plan.phases for task in p.tasks),
        *(b.source for b in plan.batches),
        plan.pilot_totals.source,
        *(t.source for t in plan.targets),
        *(i.source for i in plan.pilot_principles + plan.contractor_criteria),
        *(i.title for i in plan.pilot_principles + plan.contractor_criteria),
        *(g.source for g in plan.evaluator_groups),
        *(s.source for s in plan.business_stages),
        *(s.title for s in plan.business_stages),
        *(h.source for h in plan.honours),
        *(p.source for p in plan.provenance.values()),
        plan.document.doc_no,
    ]
    assert [text for text in quoted if text not in seed] == []


def test_the_shipped_text_and_document_agree() -> None:
    assert load_plan(builtin_plan_text()) == builtin_plan()
    assert load_plan(builtin_plan_document()) == builtin_plan()
    with pytest.raises(LookupError):
        builtin_plan("nowhere.v9")


def _set(*path: str | int, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _drop(*path: str | int) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        node: Any = document
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


@pytest.mark.parametrize(
    ("edit", "paths"),
    [
        # batch 2 gives apparel one place too many: the batch total and the programme total
        (
            _set("batches", 1, "quotas", "apparel", value=26),
            ["batches[1].total", "pilot_totals.quotas.apparel"],
        ),
        # a consistent batch that no longer adds up to the programme's 6 NEV-parts pilots
        (
            lambda d: d["batches"][1].update(total=30, quotas={"apparel": 25, "nev_parts": 5}),
            ["pilot_totals.quotas.nev_parts"],
        ),
        (_set("pilot_totals", "total", value=56), ["pilot_totals.total"]),
        (
            _set("batches", 0, "quotas", "textiles", value=1),
            ["batches[0].quotas.textiles", "batches[0].total"],
        ),
        (_set("batches", 0, "quotas", "apparel", value=-1), ["batches[0].quotas.apparel"]),
        (_set("pilot_principles", 0, "weight", value=21), ["pilot_principles"]),
        (_set("pilot_principles", 0, "weight", value="20"), ["pilot_principles[0].weight"]),
        (_set("contractor_criteria", 3, "weight", value=Decimal("24.99")), ["contractor_criteria"]),
        (_set("evaluator_groups", 0, "weight", value=Decimal("0.6")), ["evaluator_groups"]),
        (
            lambda d: (
                d["evaluator_groups"][0].update(weight=Decimal("-0.5"))
                or d["evaluator_groups"][1].update(weight=Decimal("1.25"))
            ),
            ["evaluator_groups[0].weight"],
        ),
        (_set("phases", 0, "end", value="2023-08-31"), ["phases[0].end", "batches[0].deadline"]),
        (_set("phases", 1, "start", value="2024-13-01"), ["phases[1].start"]),
        (_set("batches", 0, "deadline", value="2025-01-31"), ["batches[0].deadline"]),
        (_set("targets", 0, "deadline", value="2026-01-01"), ["targets[0].deadline"]),
        (_set("targets", 0, "metric", value="happiness"), ["targets[0].metric"]),
        (_set("targets", 0, "unit", value="percent"), ["targets[0].unit"]),
        (_set("targets", 12, "value", value=101), ["targets[12].value"]),
        (_set("targets", 0, "comparator", value=">"), ["targets[0].comparator"]),
        (_set("targets", 0, "batch", value="batch-3"), ["targets[0].batch"]),
        (_set("batches", 1, "phase", value="phase-3"), ["batches[1].phase"]),
        (_set("n_share_threshold", value=0), ["n_share_threshold"]),
        (_set("acceptance_min_level", value=5), ["acceptance_min_level"]),
        (_set("targets", 1, "id", value="batch-1-pilots"), ["targets[1].id"]),
        (_set("metrics", 2, "id", value="Factories"), ["metrics[2].id", "targets[10].metric"]),
        (_drop("project_statuses", 7), ["project_statuses"]),
        (_drop("provenance", "n_share_threshold"), ["provenance.n_share_threshold"]),
        (_drop("acceptance_min_level"), ["acceptance_min_level"]),
        (_set("schema", value=2), ["schema"]),
        (_set("colour", value="red"), ["colour"]),
    ],
)
def test_a_broken_plan_is_refused_naming_every_path(edit: Edit, paths: list[str]) -> None:
    assert refused(edit) == paths


def test_the_refusal_explains_the_quota_sum() -> None:
    document = builtin_plan_document()
    document["batches"][1]["quotas"]["nev_parts"] = 5
    document["batches"][1]["total"] = 30
    with pytest.raises(PlanError) as caught:
        load_plan(document)
    message = str(caught.value)
    assert "pilot_totals.quotas.nev_parts" in message
    assert "batch-1 0 + batch-2 5" in message
    assert isinstance(caught.value, ValidationFailed)  # the web layer answers 422


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "a plan must be a JSON object"),
        ("{", "not valid JSON"),
        ('{"a": 1, "a": 2}', "repeated"),
        ('{"a": NaN}', "not allowed"),
    ],
)
def test_text_that_is_no_plan_is_refused(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        load_plan(text)

"""Cross-item checks of a parsed plan: references, dates, quotas that add up, weights."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from loom.modules.programme.engine.errors import PathProblem
from loom.modules.programme.engine.lifecycle import Honour, ProjectStatus
from loom.modules.programme.engine.plan_model import Plan


class _Weighted(Protocol):
    @property
    def weight(self) -> Decimal: ...


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_ID = re.compile(r"[a-z][a-z0-9_-]*\Z")
#: the national index grades levels 1 to 4
_LEVELS = range(1, 5)


def check_plan(plan: Plan) -> list[PathProblem]:
    """Return every inconsistency of a plan whose items each parsed cleanly."""
    found: list[PathProblem] = []
    for name in (
        "sectors",
        "phases",
        "batches",
        "metrics",
        "targets",
        "pilot_principles",
        "contractor_criteria",
        "evaluator_groups",
        "business_stages",
        "project_statuses",
        "honours",
    ):
        found.extend(_ids(name, [item.id for item in getattr(plan, name)]))
    found.extend(_dates(plan))
    found.extend(_batches(plan))
    found.extend(_totals(plan))
    found.extend(_targets(plan))
    found.extend(_weights("pilot_principles", plan.pilot_principles, Decimal(100)))
    found.extend(_weights("contractor_criteria", plan.contractor_criteria, Decimal(100)))
    found.extend(_weights("evaluator_groups", plan.evaluator_groups, Decimal(1)))
    found.extend(_parameters(plan))
    found.extend(_enum_ids("project_statuses", plan.project_statuses, list(ProjectStatus)))
    found.extend(_enum_ids("honours", plan.honours, list(Honour)))
    return found


def _ids(name: str, ids: Sequence[str]) -> Iterable[PathProblem]:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        path = f"{name}[{index}].id"
        if not _ID.match(item_id):
            yield PathProblem(path, f"{item_id!r} is not an id: use a-z, 0-9, _ and -")
        if item_id in seen:
            yield PathProblem(path, f"the id {item_id!r} is used twice")
        seen.add(item_id)


def _dates(plan: Plan) -> Iterable[PathProblem]:
    if plan.document.valid_until < plan.document.issued:
        yield PathProblem("document.valid_until", "is before the document was issued")
    for index, phase in enumerate(plan.phases):
        if phase.end < phase.start:
            yield PathProblem(
                f"phases[{index}].end", f"{phase.end} is before the phase starts ({phase.start})"
            )


def _batches(plan: Plan) -> Iterable[PathProblem]:
    sectors = {sector.id for sector in plan.sectors}
    phases = {phase.id: phase for phase in plan.phases}
    for index, batch in enumerate(plan.batches):
        path = f"batches[{index}]"
        phase = phases.get(batch.phase)
        if phase is None:
            yield PathProblem(f"{path}.phase", f"no phase {batch.phase!r}")
        elif not phase.start <= batch.deadline <= phase.end:
            yield PathProblem(
                f"{path}.deadline",
                f"{batch.deadline} is outside its phase ({phase.start} to {phase.end})",
            )
        for sector in batch.quotas:
            if sector not in sectors:
                yield PathProblem(f"{path}.quotas.{sector}", "no such sector")
        if sum(batch.quotas.values()) != batch.total:
            yield PathProblem(
                f"{path}.total",
                f"is {batch.total} but the quotas add up to {sum(batch.quotas.values())}",
            )


def _totals(plan: Plan) -> Iterable[PathProblem]:
    totals = plan.pilot_totals
    sectors = list(dict.fromkeys(sector.id for sector in plan.sectors))
    for sector in totals.quotas:
        if sector not in sectors:
            yield PathProblem(f"pilot_totals.quotas.{sector}", "no such sector")
    if sum(totals.quotas.values()) != totals.total:
        yield PathProblem(
            "pilot_totals.total",
            f"is {totals.total} but the quotas add up to {sum(totals.quotas.values())}",
        )
    for sector in sectors:
        given = sum(batch.quota(sector) for batch in plan.batches)
        wanted = totals.quotas.get(sector, 0)
        if given != wanted:
            parts = " + ".join(f"{b.id} {b.quota(sector)}" for b in plan.batches)
            yield PathProblem(
                f"pilot_totals.quotas.{sector}",
                f"the batches give {given} ({parts}) but the programme total is {wanted}",
            )


def _targets(plan: Plan) -> Iterable[PathProblem]:
    metrics = {metric.id: metric for metric in plan.metrics}
    sectors = {sector.id for sector in plan.sectors}
    batches = {batch.id for batch in plan.batches}
    start, end = plan.programme_start, plan.programme_end
    for index, target in enumerate(plan.targets):
        path = f"targets[{index}]"
        metric = metrics.get(target.metric)
        if metric is None:
            yield PathProblem(f"{path}.metric", f"no metric {target.metric!r}")
        elif metric.unit != target.unit:
            yield PathProblem(f"{path}.unit", f"the metric {metric.id!r} is in {metric.unit}")
        if target.sector is not None and target.sector not in sectors:
            yield PathProblem(f"{path}.sector", f"no sector {target.sector!r}")
        if target.batch is not None and target.batch not in batches:
            yield PathProblem(f"{path}.batch", f"no batch {target.batch!r}")
        if target.value < 0:
            yield PathProblem(f"{path}.value", "must not be negative")
        elif target.unit == "percent" and target.value > 100:
            yield PathProblem(f"{path}.value", "a percentage cannot exceed 100")
        elif target.unit == "count" and target.value != target.value.to_integral_value():
            yield PathProblem(f"{path}.value", "a count must be a whole number")
        if not start <= target.deadline <= end:
            yield PathProblem(
                f"{path}.deadline", f"{target.deadline} is outside the programme ({start} to {end})"
            )


def _weights(name: str, items: Sequence[_Weighted], total: Decimal) -> Iterable[PathProblem]:
    weights = [item.weight for item in items]
    for index, weight in enumerate(weights):
        if weight < 0:
            yield PathProblem(f"{name}[{index}].weight", "must not be negative")
    # Decimal addition of the written values is exact, so 0.5 + 0.25 + 0.25 is exactly 1
    if sum(weights, Decimal(0)) != total:
        yield PathProblem(
            name, f"the weights add up to {sum(weights, Decimal(0))}, they must add up to {total}"
        )


def _parameters(plan: Plan) -> Iterable[PathProblem]:
    if not 0 < plan.n_share_threshold <= 1:
        yield PathProblem("n_share_threshold", "must be a share above 0 and at most 1")
    if plan.acceptance_min_level not in _LEVELS:
        yield PathProblem("acceptance_min_level", "the national index has levels 1 to 4")
    low = plan.pilot_min_score
    if low is not None and not 0 <= low <= 100:
        yield PathProblem("pilot_min_score", "must be between 0 and 100, or null")


def _enum_ids(
    name: str, items: Sequence[_Identified], wanted: Sequence[str]
) -> Iterable[PathProblem]:
    ids = [item.id for item in items]
    missing = [value for value in wanted if value not in ids]
    if missing:
        yield PathProblem(name, f"missing {missing}")
    for index, item_id in enumerate(ids):
        if item_id not in wanted:
            yield PathProblem(f"{name}[{index}].id", f"unknown; this Loom knows {list(wanted)}")

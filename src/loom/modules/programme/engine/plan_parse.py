"""Turn a plan document into a ``Plan``, reporting every structural problem with its path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from types import MappingProxyType
from typing import Any, cast

from loom.modules.programme.engine.document import Reader, at
from loom.modules.programme.engine.errors import PlanError
from loom.modules.programme.engine.plan_checks import check_plan
from loom.modules.programme.engine.plan_model import (
    COMPARATORS,
    ORIGINS,
    PARAMETERS,
    SCHEMA_VERSION,
    UNITS,
    Batch,
    Comparator,
    Document,
    EvaluatorGroup,
    HonourSpec,
    Label,
    Metric,
    Origin,
    Phase,
    PilotTotals,
    Plan,
    Provenance,
    ScoredItem,
    Sector,
    Stage,
    Target,
    Unit,
)


def _keys(cls: type, *, optional: tuple[str, ...] = ()) -> frozenset[str]:
    # keys are the dataclass's field names, so the document and the model cannot drift apart
    return frozenset(field.name for field in fields(cls)) | frozenset(optional)


def parse_plan(document: Mapping[str, Any]) -> Plan:
    """Build a ``Plan`` and check it; raise ``PlanError`` listing every problem found."""
    r = Reader()
    top = r.obj(document, "", _keys(Plan))
    schema = r.integer(top, "schema", "", low=1)
    if "schema" in top and schema != SCHEMA_VERSION:
        r.fail("schema", f"this Loom reads plan schema {SCHEMA_VERSION}, not {schema}")
    plan = Plan(
        schema=schema,
        id=r.text(top, "id", ""),
        programme=r.text(top, "programme", ""),
        version=r.integer(top, "version", "", low=1),
        title=r.text(top, "title", ""),
        document=_document(r, top.get("document"), "document"),
        notes=r.texts(top, "notes", ""),
        sectors=tuple(_sector(r, v, p) for p, v in r.items(top, "sectors", "")),
        phases=tuple(_phase(r, v, p) for p, v in r.items(top, "phases", "")),
        batches=tuple(_batch(r, v, p) for p, v in r.items(top, "batches", "")),
        pilot_totals=_totals(r, top.get("pilot_totals"), "pilot_totals"),
        metrics=tuple(_metric(r, v, p) for p, v in r.items(top, "metrics", "")),
        targets=tuple(_target(r, v, p) for p, v in r.items(top, "targets", "")),
        pilot_principles=tuple(_scored(r, v, p) for p, v in r.items(top, "pilot_principles", "")),
        pilot_min_score=r.optional_decimal(top, "pilot_min_score", ""),
        contractor_criteria=tuple(
            _scored(r, v, p) for p, v in r.items(top, "contractor_criteria", "")
        ),
        evaluator_groups=tuple(_group(r, v, p) for p, v in r.items(top, "evaluator_groups", "")),
        business_stages=tuple(_stage(r, v, p) for p, v in r.items(top, "business_stages", "")),
        n_share_threshold=r.decimal(top, "n_share_threshold", ""),
        acceptance_min_level=r.integer(top, "acceptance_min_level", "", low=1),
        project_statuses=tuple(_label(r, v, p) for p, v in r.items(top, "project_statuses", "")),
        honours=tuple(_honour(r, v, p) for p, v in r.items(top, "honours", "")),
        provenance=_provenance(r, top.get("provenance"), "provenance"),
    )
    if not r.problems:
        # cross-checks assume every item parsed; otherwise they would repeat the same faults
        r.problems.extend(check_plan(plan))
    if r.problems:
        raise PlanError(r.problems)
    return plan


def _document(r: Reader, value: Any, path: str) -> Document:
    o = r.obj(value, path, _keys(Document))
    return Document(
        doc_no=r.text(o, "doc_no", path),
        title=r.text(o, "title", path),
        issuer=r.text(o, "issuer", path),
        issued=r.date(o, "issued", path),
        valid_until=r.date(o, "valid_until", path),
        text_file=r.text(o, "text_file", path),
    )


def _sector(r: Reader, value: Any, path: str) -> Sector:
    o = r.obj(value, path, _keys(Sector))
    return Sector(r.text(o, "id", path), r.text(o, "name", path), r.text(o, "source", path))


def _phase(r: Reader, value: Any, path: str) -> Phase:
    o = r.obj(value, path, _keys(Phase))
    tasks = r.texts(o, "tasks", path)
    if not tasks and o:
        r.fail(at(path, "tasks"), "a phase needs at least one task")
    return Phase(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        start=r.date(o, "start", path),
        end=r.date(o, "end", path),
        tasks=tasks,
        source=r.text(o, "source", path),
    )


def _batch(r: Reader, value: Any, path: str) -> Batch:
    o = r.obj(value, path, _keys(Batch))
    return Batch(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        phase=r.text(o, "phase", path),
        deadline=r.date(o, "deadline", path),
        total=r.integer(o, "total", path),
        quotas=r.counts(o, "quotas", path),
        source=r.text(o, "source", path),
        notes=r.texts(o, "notes", path),
    )


def _totals(r: Reader, value: Any, path: str) -> PilotTotals:
    o = r.obj(value, path, _keys(PilotTotals))
    return PilotTotals(
        total=r.integer(o, "total", path, low=1),
        quotas=r.counts(o, "quotas", path),
        source=r.text(o, "source", path),
    )


def _metric(r: Reader, value: Any, path: str) -> Metric:
    o = r.obj(value, path, _keys(Metric))
    return Metric(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        unit=cast(Unit, r.choice(o, "unit", path, UNITS)),
        description=r.text(o, "description", path),
    )


def _target(r: Reader, value: Any, path: str) -> Target:
    o = r.obj(value, path, _keys(Target))
    return Target(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        metric=r.text(o, "metric", path),
        comparator=cast(Comparator, r.choice(o, "comparator", path, COMPARATORS)),
        value=r.decimal(o, "value", path),
        unit=cast(Unit, r.choice(o, "unit", path, UNITS)),
        deadline=r.date(o, "deadline", path),
        sector=r.optional_text(o, "sector", path),
        batch=r.optional_text(o, "batch", path),
        source=r.text(o, "source", path),
    )


def _scored(r: Reader, value: Any, path: str) -> ScoredItem:
    o = r.obj(value, path, _keys(ScoredItem))
    return ScoredItem(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        weight=r.decimal(o, "weight", path),
        weight_origin=cast(Origin, r.choice(o, "weight_origin", path, ORIGINS)),
        max_score=r.integer(o, "max_score", path, low=1),
        source=r.text(o, "source", path),
    )


def _group(r: Reader, value: Any, path: str) -> EvaluatorGroup:
    o = r.obj(value, path, _keys(EvaluatorGroup))
    return EvaluatorGroup(
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        weight=r.decimal(o, "weight", path),
        weight_origin=cast(Origin, r.choice(o, "weight_origin", path, ORIGINS)),
        source=r.text(o, "source", path),
    )


def _stage(r: Reader, value: Any, path: str) -> Stage:
    o = r.obj(value, path, _keys(Stage))
    return Stage(r.text(o, "id", path), r.text(o, "title", path), r.text(o, "source", path))


def _label(r: Reader, value: Any, path: str) -> Label:
    o = r.obj(value, path, _keys(Label))
    return Label(r.text(o, "id", path), r.text(o, "title", path))


def _honour(r: Reader, value: Any, path: str) -> HonourSpec:
    o = r.obj(value, path, _keys(HonourSpec))
    return HonourSpec(r.text(o, "id", path), r.text(o, "title", path), r.text(o, "source", path))


def _provenance(r: Reader, value: Any, path: str) -> MappingProxyType[str, Provenance]:
    o = r.obj(value, path, frozenset(PARAMETERS))
    found: dict[str, Provenance] = {}
    if not isinstance(value, Mapping):
        return MappingProxyType(found)
    for name in PARAMETERS:
        if name not in o:
            r.fail(at(path, name), "missing: say where this parameter comes from")
            continue
        item_path = at(path, name)
        item = r.obj(o[name], item_path, _keys(Provenance))
        found[name] = Provenance(
            origin=cast(Origin, r.choice(item, "origin", item_path, ORIGINS)),
            source=r.text(item, "source", item_path),
            note=r.optional_text(item, "note", item_path),
        )
    return MappingProxyType(found)

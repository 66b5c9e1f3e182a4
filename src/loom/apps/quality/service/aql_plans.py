"""The AQL engine's plans and switching states as the records store them (plain JSON).

Switching applies to each class of nonconformity separately (GB/T 2828.1 §9.2), so a series'
state is ``{class: SwitchState fields}`` and each class's plan takes its own severity. A class
with AQL "0" (zero tolerance, usual for critical defects) has no plan in the standard: it is
judged on the largest sample drawn for the other classes with Ac 0, Re 1, and keeps no state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from decimal import Decimal, InvalidOperation
from typing import Any

from loom.apps.quality.engine import aql
from loom.apps.quality.models import DEFECT_CLASSES

LEVELS: tuple[str, ...] = tuple(aql.LEVELS)
#: the AQLs the form offers, as the standard prints them
AQL_LABELS: tuple[str, ...] = tuple(format(value, "f") for value in aql.AQLS)
ZERO = Decimal(0)


def parse_aql(text: str) -> Decimal | None:
    """Return a typed AQL ("0" for zero tolerance), or None when it is not a standard AQL."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite():
        return None
    if value == ZERO:
        return ZERO
    try:
        aql.aql_index(value)
    except ValueError:
        return None
    return value


def _state(fields: Mapping[str, Any] | None) -> aql.SwitchState:
    if not fields:
        return aql.initial_state()
    data = dict(fields)
    data["recent_normal"] = tuple(bool(x) for x in data.get("recent_normal", ()))
    known = set(aql.SwitchState.__dataclass_fields__)
    return aql.SwitchState(**{k: v for k, v in data.items() if k in known})


def _fields(state: aql.SwitchState) -> dict[str, Any]:
    data = asdict(state)
    data["recent_normal"] = list(state.recent_normal)
    return data


def initial() -> dict[str, Any]:
    """Return a new series' state: every class on normal inspection."""
    return {cls: _fields(aql.initial_state()) for cls in DEFECT_CLASSES}


def severities(state: Mapping[str, Any]) -> dict[str, str]:
    """Return each class's current severity (normal, tightened or reduced)."""
    return {cls: _state(state.get(cls)).inspection for cls in DEFECT_CLASSES}


def discontinued(state: Mapping[str, Any]) -> list[str]:
    """Return the classes whose inspection is discontinued (§9.4) until corrective action."""
    return [cls for cls in DEFECT_CLASSES if _state(state.get(cls)).discontinued]


def summary_severity(state: Mapping[str, Any], aqls: Mapping[str, str]) -> str:
    """Return the severity the lot's classes share, or "mixed"."""
    used = {sev for cls, sev in severities(state).items() if parse_aql(aqls.get(cls, "")) != ZERO}
    return used.pop() if len(used) == 1 else "mixed"


def code_letter(lot_size: int, level: str) -> str:
    """Return the sample size code letter of the lot."""
    return aql.code_letter(lot_size, level)


def plans(
    lot_size: int, level: str, aqls: Mapping[str, str], state: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Return each class's plan as stored: its AQL, severity, sample, Ac and Re."""
    found: dict[str, dict[str, Any]] = {}
    severity = severities(state)
    for cls in DEFECT_CLASSES:
        value = parse_aql(aqls[cls])
        if value is None or value == ZERO:
            continue
        p = aql.plan(lot_size, level, value, severity[cls])  # type: ignore[arg-type]
        found[cls] = {"aql": aqls[cls].strip(), **asdict(p)}
    largest = max(int(p["sample_size"]) for p in found.values())
    letter = aql.code_letter(lot_size, level)
    for cls in DEFECT_CLASSES:
        if cls not in found:
            found[cls] = {
                "aql": "0",
                "code_letter": letter,
                "plan_letter": "",
                "sample_size": largest,
                "accept": 0,
                "reject": 1,
                "inspection": "",
                "full_inspection": largest >= lot_size,
            }
    return {cls: found[cls] for cls in DEFECT_CLASSES}


def _plan(stored: Mapping[str, Any]) -> aql.SamplingPlan:
    known = set(aql.SamplingPlan.__dataclass_fields__)
    return aql.SamplingPlan(**{k: v for k, v in stored.items() if k in known})


def decide(plans_: Mapping[str, Mapping[str, Any]], found: Mapping[str, int]) -> dict[str, bool]:
    """Return each class's decision (accepted or not) and the lot's under "lot"."""
    judged = aql.decide_classes(
        {cls: _plan(p) for cls, p in plans_.items()}, {cls: found[cls] for cls in plans_}
    )
    return {**judged["classes"], "lot": judged["accepted"]}


def next_state(
    state: Mapping[str, Any],
    plans_: Mapping[str, Mapping[str, Any]],
    found: Mapping[str, int],
    *,
    production_steady: bool = True,
) -> dict[str, Any]:
    """Return the series' state after the lot: each class with an AQL moves on by its result."""
    after: dict[str, Any] = {}
    for cls in DEFECT_CLASSES:
        current = _state(state.get(cls))
        stored = plans_[cls]
        if stored["aql"] == "0":
            after[cls] = _fields(current)
            continue
        _accepted, following = aql.record_lot(
            current,
            _plan(stored),
            stored["aql"],
            found[cls],
            production_steady=production_steady,
            authority_approves_reduced=production_steady,
        )
        after[cls] = _fields(following)
    return after


def resumed(state: Mapping[str, Any]) -> dict[str, Any]:
    """Return the state after corrective action: discontinued classes go to tightened."""
    after: dict[str, Any] = {}
    for cls in DEFECT_CLASSES:
        current = _state(state.get(cls))
        after[cls] = _fields(aql.resume(current) if current.discontinued else current)
    return after


def scores(state: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Return what the pages show of each class's state."""
    shown: dict[str, dict[str, Any]] = {}
    for cls in DEFECT_CLASSES:
        s = _state(state.get(cls))
        shown[cls] = {
            "inspection": s.inspection,
            "switching_score": s.switching_score,
            "recent_normal": list(s.recent_normal),
            "tightened_accepted_run": s.tightened_accepted_run,
            "tightened_rejections": s.tightened_rejections,
            "discontinued": s.discontinued,
        }
    return shown

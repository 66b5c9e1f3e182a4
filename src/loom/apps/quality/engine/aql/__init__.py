"""AQL sampling of GB/T 2828.1-2012 (ISO 2859-1:1999): plans, decisions and switching rules."""

from loom.apps.quality.engine.aql.plans import (
    ClassesDecision,
    SamplingPlan,
    aql_index,
    code_letter,
    decide,
    decide_classes,
    plan,
    table_plan,
)
from loom.apps.quality.engine.aql.switching import (
    SwitchState,
    accepted_one_step_tighter,
    initial_state,
    next_state,
    record_lot,
    resume,
    score_after,
)
from loom.apps.quality.engine.aql.tables import AQLS, INSPECTIONS, LEVELS, Inspection

__all__ = [
    "AQLS",
    "INSPECTIONS",
    "LEVELS",
    "ClassesDecision",
    "Inspection",
    "SamplingPlan",
    "SwitchState",
    "accepted_one_step_tighter",
    "aql_index",
    "code_letter",
    "decide",
    "decide_classes",
    "initial_state",
    "next_state",
    "plan",
    "record_lot",
    "resume",
    "score_after",
    "table_plan",
]

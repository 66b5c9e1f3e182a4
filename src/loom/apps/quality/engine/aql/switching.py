"""Switching rules between normal, tightened and reduced inspection (GB/T 2828.1 §9.3, §9.4).

Apply them to each class of nonconformity separately (§9.2): keep one ``SwitchState`` per class.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Final

from loom.apps.quality.engine.aql.plans import SamplingPlan, aql_index, decide
from loom.apps.quality.engine.aql.tables import AQLS, INSPECTIONS, MASTER_TABLES

# §9.3.1: two lots not accepted among five or fewer consecutive lots on normal inspection
TIGHTEN_WINDOW: Final = 5
# §9.3.2: five consecutive lots accepted on tightened inspection
RELAX_RUN: Final = 5
# §9.3.3.1: the switching score that allows reduced inspection
REDUCE_SCORE: Final = 30
# §9.4: lots not accepted while on tightened inspection before inspection is discontinued
DISCONTINUE_AFTER: Final = 5


@dataclass(frozen=True)
class SwitchState:
    """Where a stream of lots stands in the switching scheme for one class of nonconformity.

    ``recent_normal`` holds the results (accepted or not) of the last lots on normal inspection,
    at most four, enough to see two rejections among five consecutive lots. ``switching_score``
    is the score of §9.3.3.2. ``tightened_accepted_run`` counts consecutive accepted lots and
    ``tightened_rejections`` all lots not accepted since tightened inspection began.
    """

    inspection: str = "normal"
    recent_normal: tuple[bool, ...] = ()
    switching_score: int = 0
    tightened_accepted_run: int = 0
    tightened_rejections: int = 0
    discontinued: bool = False

    def __post_init__(self) -> None:
        """Check the severity and keep the recent results a tuple, even when read from JSON."""
        if self.inspection not in INSPECTIONS:
            raise ValueError(
                f"inspection must be one of {', '.join(INSPECTIONS)}, not {self.inspection!r}"
            )
        # a frozen dataclass sets its own fields through object.__setattr__
        object.__setattr__(self, "recent_normal", tuple(bool(r) for r in self.recent_normal))


def initial_state() -> SwitchState:
    """Return the state at the start: normal inspection, score zero (§9.1, §9.3.3.2)."""
    return SwitchState()


def _enter(inspection: str) -> SwitchState:
    # every counter starts again on entering a severity; the score restarts with normal (§9.3.3.2)
    return SwitchState(inspection=inspection)


def score_after(
    score: int, accepted: bool, acceptance_number: int, accepted_one_step_tighter: bool | None
) -> int:
    """Return the switching score after one lot on normal inspection (§9.3.3.2 a)."""
    if acceptance_number >= 2:
        if accepted_one_step_tighter is None:
            raise ValueError(
                "accepted_one_step_tighter is required when the acceptance number is 2 or more"
            )
        # a lot not accepted at its own AQL is not accepted one step tighter either
        return score + 3 if accepted and accepted_one_step_tighter else 0
    return score + 2 if accepted else 0


def next_state(
    state: SwitchState,
    accepted: bool,
    *,
    production_steady: bool = True,
    authority_approves_reduced: bool = True,
    acceptance_number: int = 0,
    accepted_one_step_tighter: bool | None = None,
) -> SwitchState:
    """Return the state after one lot judged on original inspection under ``state``.

    ``acceptance_number`` is that of the normal plan used and, when it is 2 or more,
    ``accepted_one_step_tighter`` says whether the lot would also have been accepted at the
    next tighter AQL; both only matter on normal inspection. ``record_lot`` derives them from
    the plan and the count of nonconformities.
    """
    if state.discontinued:
        raise ValueError("inspection is discontinued (§9.4): call resume() after corrective action")
    if state.inspection == "normal":
        window = (*state.recent_normal, accepted)[-TIGHTEN_WINDOW:]
        if window.count(False) >= 2:
            return _enter("tightened")
        score = score_after(
            state.switching_score, accepted, acceptance_number, accepted_one_step_tighter
        )
        if score >= REDUCE_SCORE and production_steady and authority_approves_reduced:
            return _enter("reduced")
        return replace(state, recent_normal=window[-(TIGHTEN_WINDOW - 1) :], switching_score=score)
    if state.inspection == "tightened":
        if accepted:
            run = state.tightened_accepted_run + 1
            if run >= RELAX_RUN:
                return _enter("normal")
            return replace(state, tightened_accepted_run=run)
        rejections = state.tightened_rejections + 1
        return replace(
            state,
            tightened_accepted_run=0,
            tightened_rejections=rejections,
            discontinued=rejections >= DISCONTINUE_AFTER,
        )
    # reduced inspection, the only severity left (__post_init__ admits no other). §9.3.4: a
    # lot not accepted, irregular production, or other conditions (the authority no longer
    # approving reduced inspection) bring normal inspection back
    if not accepted or not production_steady or not authority_approves_reduced:
        return _enter("normal")
    return state


def resume(state: SwitchState) -> SwitchState:
    """Return the state after corrective action ends a discontinuation: tightened (§9.4)."""
    if not state.discontinued:
        raise ValueError("inspection is not discontinued")
    return _enter("tightened")


def accepted_one_step_tighter(plan: SamplingPlan, aql: Decimal | str, defects: int) -> bool | None:
    """Return whether the lot would pass at the next tighter AQL on the same sample.

    The tighter plan is read in the normal table, in the row the plan's sample came from, one
    column to the left; with an acceptance number of 2 or more that cell is always a plan.
    Returns None for acceptance numbers 0 and 1, where §9.3.3.2 does not ask.
    """
    if plan.inspection != "normal":
        raise ValueError(f"the switching score counts normal plans only, not {plan.inspection}")
    if plan.accept < 2:
        return None
    column = aql_index(aql)
    if column == 0:  # AQL 0.010 never has Ac >= 2 in Table 2-A: nothing is tighter
        return False
    cell = MASTER_TABLES["normal"].cells[plan.plan_letter][column - 1]
    if cell is None or cell.arrow is not None:
        raise AssertionError(f"no tighter plan beside {plan} at AQL {AQLS[column]}")
    return defects <= cell.accept


def record_lot(
    state: SwitchState,
    plan: SamplingPlan,
    aql: Decimal | str,
    defects: int,
    *,
    production_steady: bool = True,
    authority_approves_reduced: bool = True,
) -> tuple[bool, SwitchState]:
    """Judge one lot with its plan and return (accepted, the next switching state)."""
    accepted = decide(plan, defects)
    tighter = (
        accepted_one_step_tighter(plan, aql, defects) if state.inspection == "normal" else None
    )
    following = next_state(
        state,
        accepted,
        production_steady=production_steady,
        authority_approves_reduced=authority_approves_reduced,
        acceptance_number=plan.accept,
        accepted_one_step_tighter=tighter,
    )
    return accepted, following

"""Tables of the balancing app: plans and the revisions their hand edits leave behind.

A plan keeps the input it was solved on (``problem``), so its figures can be recomputed and
its edits checked even after the style's routing or the line's operators have changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from loom.kernel.db.base import Base, TenantOwned, Timestamped, utcnow

#: the two ways to ask for a plan: a target output per hour, or a number of operators
MODES = ("target", "operators")


class BalancingPlan(Timestamped, TenantOwned, Base):
    """One balancing of a style, optionally on a line: the current assignment and its figures."""

    __tablename__ = "balancing_plan"
    __table_args__ = (
        UniqueConstraint("id", "org_id"),
        # a plan is meaningless without its style, as is the style's routing: it goes with it
        ForeignKeyConstraint(
            ["style_id", "org_id"],
            ["masterdata_style.id", "masterdata_style.org_id"],
            ondelete="CASCADE",
        ),
        # no cascade: deleting a line that plans name is refused, like any other use of it
        ForeignKeyConstraint(
            ["line_id", "org_id"],
            ["masterdata_line.id", "masterdata_line.org_id"],
        ),
        CheckConstraint("mode IN ('target', 'operators')", name="mode_known"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    style_id: Mapped[int] = mapped_column(index=True)
    line_id: Mapped[int | None] = mapped_column(index=True, default=None)
    mode: Mapped[str] = mapped_column(String(20))
    # pieces per hour asked for (mode "target"); the cycle time derives from it
    target_per_hour: Mapped[int | None] = mapped_column(default=None)
    # operators asked for (mode "operators")
    operators: Mapped[int | None] = mapped_column(default=None)
    # ten-thousandths of a minute: 600,000 // target_per_hour in mode "target"
    cycle_time_e4: Mapped[int | None] = mapped_column(default=None)
    # the solver's input as plain JSON: tasks, workers, mode, split limit
    problem: Mapped[dict[str, Any]] = mapped_column(JSON)
    # the current stations in line order
    assignment: Mapped[dict[str, Any]] = mapped_column(JSON)
    # the current assignment's figures and violations, as ``evaluate`` gave them
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=1)
    solver_status: Mapped[str] = mapped_column(String(20))
    solver_optimal: Mapped[bool] = mapped_column(default=False)
    # operators (mode "target") or bottleneck e4 (mode "operators") no plan can beat
    solver_lower_bound: Mapped[int] = mapped_column(default=0)
    solver_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # the solver's first answer, kept as the baseline hand edits are judged against
    solved_figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    published_version: Mapped[int | None] = mapped_column(default=None)
    published_by: Mapped[str] = mapped_column(String(200), default="")
    # the plan's revision that was published: later edits are not on the line yet
    published_revision: Mapped[int | None] = mapped_column(default=None)


class BalancingRevision(TenantOwned, Base):
    """One saved state of a plan; the newest is the plan's current one, undo drops it."""

    __tablename__ = "balancing_revision"
    __table_args__ = (
        ForeignKeyConstraint(
            ["plan_id", "org_id"],
            ["balancing_plan.id", "balancing_plan.org_id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("plan_id", "revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(index=True)
    revision: Mapped[int] = mapped_column()
    # what made this revision: {"op": "solve"} or the hand edit as the planner asked for it
    edit: Mapped[dict[str, Any]] = mapped_column(JSON)
    assignment: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = ["MODES", "BalancingPlan", "BalancingRevision"]

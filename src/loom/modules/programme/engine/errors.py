"""Errors of the programme engine: located input problems and coded rule problems."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from loom.kernel.errors import Conflict, ValidationFailed


@dataclass(frozen=True, slots=True)
class PathProblem:
    """One bad input value, located by a path such as ``batches[1].quotas.apparel``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidInput(ValidationFailed):
    """Input that the engine cannot use; lists every problem, each with its path."""

    summary = "invalid programme input"

    def __init__(self, problems: Iterable[PathProblem]) -> None:
        self.problems: tuple[PathProblem, ...] = tuple(problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        first = self.problems[0].path if self.problems else None
        details = [{"field": p.path, "message": p.message} for p in self.problems]
        super().__init__(f"{self.summary}: {listed}", field=first, details=details)


class PlanError(InvalidInput):
    """A plan document that does not describe a usable, self-consistent programme."""

    summary = "invalid programme plan"


class InvalidScores(InvalidInput):
    """Score sheets or weights that cannot be turned into a score; nothing was scored."""

    summary = "score sheets cannot be scored"


@dataclass(frozen=True, slots=True)
class Problem:
    """A broken rule: a stable ``code`` and an English msgid and Chinese text with parameters."""

    code: str
    template: str
    template_zh: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Return the English message with its parameters filled in."""
        return self.template % self.params if self.params else self.template

    @property
    def message_zh(self) -> str:
        """Return the Chinese message with its parameters filled in."""
        return self.template_zh % self.params if self.params else self.template_zh

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class RuleBroken(ValidationFailed):
    """Base for refusals that carry coded problems rather than input paths."""

    summary = "refused"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        details = [{"field": p.code, "message": p.message} for p in self.problems]
        listed = "; ".join(p.message for p in self.problems)
        super().__init__(f"{self.summary}: {listed}", details=details)


class ConsortiumConflict(RuleBroken):
    """Contractor bids of one sector that share an organisation (联合体 rules)."""

    summary = "conflicting contractor bids"


class IllegalTransition(Conflict):
    """A lifecycle action refused; ``problems`` lists every reason."""

    def __init__(self, action: str, problems: Iterable[Problem]) -> None:
        self.action = action
        self.problems: tuple[Problem, ...] = tuple(problems)
        details = [{"field": p.code, "message": p.message} for p in self.problems]
        listed = "; ".join(p.message for p in self.problems)
        super().__init__(f"{action} refused: {listed}", field="action", details=details)

"""Errors that name the path of every bad value, so a user can find and fix it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loom.kernel.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class Problem:
    """One bad value, located by a path such as ``rules[0].funders[1].parts``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SubsidyError(ValidationFailed):
    """Base of the engine's errors: one or more problems, each naming its path."""

    summary = "invalid input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        listed = "; ".join(str(problem) for problem in self.problems)
        # the first path becomes ``field`` so the kernel's error envelope points at it
        first = self.problems[0].path if self.problems else None
        details = [{"field": p.path, "message": p.message} for p in self.problems]
        super().__init__(f"{self.summary}: {listed}", field=first, details=details)


class RuleSetError(SubsidyError):
    """A rule-set document that does not describe a usable, self-consistent set of rules."""

    summary = "invalid subsidy rule set"


class InvalidInput(SubsidyError):
    """A quote's input (an amount, a fact, a claimant, a prior award) that cannot be used."""

    summary = "invalid subsidy input"

    @classmethod
    def at(cls, path: str, message: str) -> InvalidInput:
        """Return the error for a single bad value."""
        return cls([Problem(path, message)])

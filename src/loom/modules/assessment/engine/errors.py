"""Errors that list every problem found, each with the path of the offending value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loom.kernel.errors import ValidationFailed


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located by a path such as ``answers.B2.digital_devices``."""

    path: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"path": ..., "message": ...}``."""
        return {"path": self.path, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ProblemsError(ValidationFailed):
    """Base for errors that carry a list of problems; the web layer renders them as a 422."""

    summary = "invalid input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        message = f"{self.summary}: {count} {noun}: " + "; ".join(str(p) for p in self.problems)
        # the kernel's error envelope names each offending value in ``details[].field``
        details = [{"field": p.path, "message": p.message} for p in self.problems]
        super().__init__(message, details=details)


class InvalidQuestionnaire(ProblemsError):
    """A questionnaire (answers and scenes) that cannot be scored; nothing was scored."""

    summary = "questionnaire cannot be scored"


class RuleSetError(ProblemsError):
    """A rule-set document that does not describe a usable, self-consistent rule set."""

    summary = "invalid rule set"

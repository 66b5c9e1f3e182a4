"""Jobs of the single-machine problem 1||ΣwjTj and the OR-Library ``wt`` file format.

An OR-Library weighted tardiness file (Beasley's ``wt40.txt``, ``wt50.txt``, ``wt100.txt``)
is a stream of whitespace-separated integers, wrapped over lines in no meaningful way. For
n jobs each instance is 3n integers: the n processing times, then the n weights, then the n
due dates. Instances follow one another with no separator, so the job count must be known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class WtFormatError(ValueError):
    """A ``wt`` file, or a job list, that cannot be read as weighted tardiness instances."""


@dataclass(frozen=True)
class Job:
    """One job: processing time, tardiness weight and due date (non-negative integers)."""

    processing: int
    weight: int
    due: int


def check_jobs(jobs: Sequence[Job]) -> None:
    """Raise ``WtFormatError`` unless ``jobs`` is a non-empty list of non-negative jobs."""
    if not jobs:
        raise WtFormatError("an instance needs at least one job")
    for number, job in enumerate(jobs, start=1):
        if min(job.processing, job.weight, job.due) < 0:
            raise WtFormatError(f"job {number}: processing, weight and due must be >= 0")


def parse_wt(text: str, jobs_per_instance: int) -> list[list[Job]]:
    """Split the text of a ``wt`` file into its instances of ``jobs_per_instance`` jobs."""
    if jobs_per_instance < 1:
        raise WtFormatError("the number of jobs per instance must be at least 1")
    numbers: list[int] = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for token in line.split():
            try:
                value = int(token)
            except ValueError:
                raise WtFormatError(f"line {line_number}: {token!r} is not an integer") from None
            if value < 0:
                raise WtFormatError(f"line {line_number}: {value} is negative")
            numbers.append(value)
    size = 3 * jobs_per_instance
    if not numbers:
        raise WtFormatError("the file holds no numbers")
    if len(numbers) % size:
        raise WtFormatError(
            f"{len(numbers)} numbers is not a whole number of instances of "
            f"{jobs_per_instance} jobs ({size} numbers each)"
        )
    n = jobs_per_instance
    instances: list[list[Job]] = []
    for start in range(0, len(numbers), size):
        block = numbers[start : start + size]
        instances.append([Job(block[j], block[n + j], block[2 * n + j]) for j in range(n)])
    return instances


def jobs_in_name(path: Path) -> int | None:
    """Return the job count a file name announces (``wt40.txt`` → 40), if it does."""
    stem = path.stem.lower()
    digits = stem.removeprefix("wt")
    return int(digits) if stem.startswith("wt") and digits.isdigit() else None


def read_instance(path: Path, instance: int, jobs_per_instance: int | None = None) -> list[Job]:
    """Return instance number ``instance`` (1-based) of the ``wt`` file at ``path``."""
    n = jobs_per_instance if jobs_per_instance is not None else jobs_in_name(path)
    if n is None:
        raise WtFormatError("cannot tell the number of jobs from the file name (expected wtN.txt)")
    try:
        text = path.read_text(encoding="ascii")
    except UnicodeDecodeError as error:
        raise WtFormatError(f"not a text file of integers ({error.reason})") from None
    instances = parse_wt(text, n)
    if not 1 <= instance <= len(instances):
        raise WtFormatError(
            f"instance {instance} is out of range: the file holds instances 1 to {len(instances)}"
        )
    return instances[instance - 1]

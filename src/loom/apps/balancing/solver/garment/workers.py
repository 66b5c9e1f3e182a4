"""Named workers grouped into classes of interchangeable ones."""

from __future__ import annotations

from dataclasses import dataclass

from loom.apps.balancing.solver.garment.rules import efficiency
from loom.apps.balancing.solver.model import Worker


@dataclass(frozen=True)
class WorkerClass:
    """Workers with the same grades and efficiencies: interchangeable on the line."""

    members: tuple[Worker, ...]

    @property
    def sample(self) -> Worker:
        """Return a representative member."""
        return self.members[0]


def worker_classes(workers: tuple[Worker, ...]) -> list[WorkerClass]:
    """Group workers by identical grades and efficiencies, in first-seen order."""
    groups: dict[tuple[object, ...], list[Worker]] = {}
    for worker in workers:
        key = tuple(
            sorted((kind, grade, efficiency(worker, kind)) for kind, grade in worker.grades.items())
        )
        groups.setdefault(key, []).append(worker)
    return [WorkerClass(tuple(members)) for members in groups.values()]

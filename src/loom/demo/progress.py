"""Progress of a long seed: a protocol the seed reports to, a silent one and a terminal bar."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn


class Reporter(Protocol):
    """Where the seed says how far it got; units are the seed's own estimate of work."""

    def grow(self, units: float) -> None:
        """Add ``units`` of work to the total (when a step learns its size)."""

    def advance(self, units: float, label: str | None = None) -> None:
        """Count ``units`` of work done, and name what is being done now."""


class Silent:
    """A reporter that shows nothing (tests, and callers without a terminal)."""

    def grow(self, units: float) -> None:
        """Ignore."""

    def advance(self, units: float, label: str | None = None) -> None:
        """Ignore."""


class Bar:
    """A progress bar on stderr, as a context manager."""

    def __init__(self, total: float, label: str) -> None:
        """Prepare the bar."""
        self._progress = Progress(
            TextColumn("{task.description:<28}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task(label, total=total)

    def __enter__(self) -> Bar:
        """Show the bar."""
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Fill the bar on success, and stop drawing it."""
        if error is None:
            total = self._progress.tasks[0].total or 0
            self._progress.update(self._task, completed=total, description="done")
        self._progress.stop()

    def grow(self, units: float) -> None:
        """Add to the total."""
        total = self._progress.tasks[0].total or 0
        self._progress.update(self._task, total=total + units)

    def advance(self, units: float, label: str | None = None) -> None:
        """Move the bar on."""
        if label is None:
            self._progress.advance(self._task, units)
        else:
            self._progress.update(self._task, advance=units, description=label)

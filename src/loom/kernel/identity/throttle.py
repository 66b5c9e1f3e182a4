"""Per-client throttling of failed logins, in memory of one server process."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class LoginThrottle:
    """Count failed logins per client address in a sliding window; say how long to wait.

    The account lock (in the database) stops guessing one user's password; this stops one
    client from trying many usernames. It lives in memory: several server processes each
    keep their own count, which only loosens the limit by that factor.
    """

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Allow ``limit`` failures per client within ``window_seconds``."""
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, client: str) -> int:
        """Return how many seconds ``client`` must wait before trying again (0: go ahead)."""
        with self._lock:
            times = self._recent(client)
            if len(times) < self.limit:
                return 0
            return max(1, int(times[0] + self.window - self._clock()) + 1)

    def failed(self, client: str) -> None:
        """Record one failed login from ``client``."""
        with self._lock:
            self._recent(client).append(self._clock())
            if len(self._failures) > 10_000:
                # forget quiet clients so a scan of many addresses cannot grow memory forever
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def _recent(self, client: str) -> deque[float]:
        times = self._failures.setdefault(client, deque())
        cutoff = self._clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        return times

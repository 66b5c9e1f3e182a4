"""Test helpers for admission: one turn per process, and a call held until the test lets go."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from fastapi import FastAPI
from starlette.middleware import Middleware

from loom.kernel.web.admission import Admission

T = TypeVar("T")


def one_turn(app: FastAPI, wait: float = 0.2) -> None:
    """Admit one request at a time; another waits ``wait`` seconds, then gets 503."""
    # a new entry, not an edited one: the test plugin reuses the app's middleware list
    index = next(i for i, m in enumerate(app.user_middleware) if m.cls is cast(Any, Admission))
    app.user_middleware[index] = Middleware(Admission, limit=1, wait=wait)
    app.middleware_stack = None  # built again, with the new entry, on the next request


class HeldCall:
    """Wrap ``real``: each call signals ``entered``, then waits for ``release`` before running."""

    def __init__(self, real: Callable[..., Any]) -> None:
        """Wrap ``real``, not yet entered nor released."""
        self.real = real
        self.entered = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Signal, wait for the test (10 s at most), then call the wrapped function."""
        self.entered.set()
        if not self.release.wait(10):
            raise TimeoutError("the test never released the held call")
        return self.real(*args, **kwargs)


def probe_while_held(held: HeldCall, background: Callable[[], None], probe: Callable[[], T]) -> T:
    """Run ``background`` in a thread until it enters ``held``; return ``probe()`` run meanwhile.

    The held call is released and the thread joined whatever the probe does.
    """
    worker = threading.Thread(target=background)
    worker.start()
    try:
        if not held.entered.wait(10):
            raise TimeoutError("the background work never reached the held call")
        return probe()
    finally:
        held.release.set()
        worker.join(10)

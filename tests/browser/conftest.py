"""Every browser test fails if the page broke the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loom.testing.browser import take_violations


@pytest.fixture(autouse=True)
def _no_csp_violations() -> Iterator[None]:
    take_violations()
    yield
    violations = take_violations()
    assert not violations, "the page broke the CSP:\n" + "\n".join(violations)

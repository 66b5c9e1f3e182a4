"""Schemathesis over /api/v1/openapi.json: no server errors, every answer as documented."""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation

from tests.fuzz.conftest import FuzzWorld

# Small enough that the whole API runs in CI within a minute; raise it for a deeper run.
EXAMPLES = int(os.environ.get("LOOM_FUZZ_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
REPORT_CHARS = 1500  # of each failure: enough for the check, the response and the curl line
SEEDED_IDS = st.integers(min_value=1, max_value=30)  # the small demo's rows have ids this low


def _fuzz(operation: APIOperation[Any, Any, Any, Any], mode: GenerationMode, token: str) -> None:
    """Run ``EXAMPLES`` cases of one operation in one mode; raise on the first failing check."""
    headers = {"Authorization": f"Bearer {token}"}
    integer_params = [
        p.name
        for p in operation.path_parameters
        if p.definition.get("schema", {}).get("type") == "integer"
    ]

    @given(data=st.data())
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same cases on every run: CI never flakes on a new example
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy(generation_mode=mode))
        if mode is GenerationMode.POSITIVE and len(integer_params) > 0 and data.draw(st.booleans()):
            # random ids almost never exist: also aim at the seeded rows, so the happy path runs
            for name in integer_params:
                case.path_parameters[name] = data.draw(SEEDED_IDS)
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_every_api_operation_answers_as_documented(
    fuzz_schema: schemathesis.BaseSchema, fuzz_world: FuzzWorld
) -> None:
    failures: list[str] = []
    no_bad_input: list[str] = []
    results = list(fuzz_schema.get_all_operations())
    assert all(isinstance(r, Ok) for r in results), "the description has invalid operations"
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    assert len(operations) > 300, "the schema lists suspiciously few operations"
    for operation in operations:
        token = fuzz_world.token_for(operation.method, operation.path)
        takes_input = bool(operation.body) or any(True for _ in operation.iter_parameters())
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if takes_input else [])
        for mode in modes:
            try:
                _fuzz(operation, mode, token)
            except Unsatisfiable:
                # e.g. one free-text path parameter: every string is valid, none can be wrong
                no_bad_input.append(operation.label)
            except (Exception, BaseExceptionGroup) as exc:  # every failure, not only the first
                failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:REPORT_CHARS]}")
    assert not failures, f"{len(failures)} failing operation runs:\n\n" + "\n\n".join(failures)
    # only operations whose every input is valid may lack a negative run
    assert len(no_bad_input) < len(operations) // 10, no_bad_input

"""The base of every JSON request body: whole numbers are numbers, never true or false.

Pydantic's lax mode takes ``true`` for 1 and ``"12"`` for 12 in an ``int`` field, so a client's
slip (a checkbox's boolean in an id, an id sent as text) would be stored as a valid row.
Bodies built on :class:`ApiIn` refuse a boolean in any integer field (and in lists and maps of
integers), and refuse text in id fields (``id``, ``*_id``, ``*_ids``), each with a 422 naming
the field. Only JSON bodies use it: HTML forms send every value as text and are parsed by the
pages themselves.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

_SEQUENCES = (list, tuple, set, frozenset)
_UNIONS = (Union, types.UnionType)


def is_id_field(name: str) -> bool:
    """Return whether field ``name`` holds ids (``id``, ``*_id``, ``*_ids``)."""
    return name == "id" or name.endswith(("_id", "_ids"))


def _refusal(annotation: Any, value: Any, is_id: bool) -> str | None:
    """Return why ``value`` may not fill ``annotation``, or None to leave it to pydantic."""
    if annotation is int:
        if isinstance(value, bool):
            return "Input should be a whole number, not true or false"
        if is_id and isinstance(value, str):
            return "Input should be a number, not text"
        return None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _refusal(args[0], value, is_id)
    if origin in _UNIONS:
        if bool in args or (str in args and isinstance(value, str)):
            return None  # the union itself admits the value
        arms = [a for a in args if a is not type(None)]
        return _refusal(arms[0], value, is_id) if len(arms) == 1 else None
    if origin in _SEQUENCES and isinstance(value, list | tuple) and args:
        return next((r for v in value if (r := _refusal(args[0], v, is_id))), None)
    if origin is dict and isinstance(value, dict) and len(args) == 2:
        return next((r for v in value.values() if (r := _refusal(args[1], v, is_id))), None)
    return None


def _checks_ints(annotation: Any) -> bool:
    """Return whether ``annotation`` has an ``int`` anywhere in it (``bool`` is not one)."""
    return annotation is int or any(_checks_ints(a) for a in get_args(annotation))


class ApiIn(BaseModel):
    """A JSON request body whose integer fields take numbers only (see the module's note)."""

    @field_validator("*", mode="before")
    @classmethod
    def _whole_numbers_only(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name
        if name is None:
            return value
        annotation = cls.model_fields[name].annotation
        if not _checks_ints(annotation):
            return value
        reason = _refusal(annotation, value, is_id_field(name))
        if reason is not None:
            raise PydanticCustomError("int_type", reason)
        return value

"""Paginated API envelopes."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from loom.kernel.db.repository import Page

T = TypeVar("T", bound=BaseModel)


class PageOut(BaseModel, Generic[T]):
    """One page of items with the total and the offset of the next page."""

    items: list[T]
    total: int
    offset: int
    limit: int
    next_offset: int | None

    @classmethod
    def of(cls, page: Page[Any], item_model: type[T]) -> PageOut[T]:
        """Convert a repository page, validating each row into ``item_model``."""
        return cls(
            items=[item_model.model_validate(row) for row in page.items],
            total=page.total,
            offset=page.offset,
            limit=page.limit,
            next_offset=page.offset + len(page.items) if page.has_next else None,
        )

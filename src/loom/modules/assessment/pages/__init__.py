"""HTML pages of the assessment module (Loom mounts them at /apps/assessment)."""

from __future__ import annotations

from fastapi import APIRouter

from loom.modules.assessment.pages import listing, plans, questionnaire, reports, rulesets

pages = APIRouter(include_in_schema=False)
# Fixed paths (/new, /compare, /rulesets) first; assessment ids only match whole numbers.
for module in (listing, rulesets, reports, plans, questionnaire):
    pages.include_router(module.router)

__all__ = ["pages"]

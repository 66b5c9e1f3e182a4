"""The quote form and its result, and approving an award from a quote."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.templating import render
from loom.modules.subsidy.engine import builtin_ruleset
from loom.modules.subsidy.pages.common import (
    BASE,
    DB,
    DESIGNATION_LABELS,
    KIND_LABELS,
    MANAGE,
    READ,
    RULE_LABELS,
    cny_input,
    error_text,
    fen_of,
    label,
    translator,
)
from loom.modules.subsidy.pages.view import quote_view
from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service.claims import (
    DECLARABLE,
    ClaimIn,
    contractor_choices,
    enterprise_by_code,
    kind_of,
    product_choices,
    project_choices,
)

router = APIRouter()


@dataclass(frozen=True)
class QuoteForm:
    """The quote form as typed: every value a string, kept to show the form again."""

    rule: str = ""
    project: str = ""
    enterprise: str = ""
    contractor: str = ""
    product: str = ""
    investment: str = ""
    declared: tuple[str, ...] = ()
    recognised: bool = False

    def kind(self) -> str:
        """Return who the chosen rule awards, or "" before a rule is chosen."""
        rules = builtin_ruleset()
        known = {rule.id: rule for rule in rules.rules}
        return kind_of(known[self.rule]) if self.rule in known else ""

    def named(self) -> bool:
        """Return whether the form names a beneficiary of the rule's kind."""
        kind = self.kind()
        if kind == "enterprise":
            return bool(self.project.strip() or self.enterprise.strip())
        return bool(kind and getattr(self, kind).strip())

    def claim(self, db: Session, scope: Scope) -> ClaimIn:
        """Return the claim; only the pickers of the rule's kind count."""
        kind = self.kind()
        if not kind:
            raise ValidationFailed("rule: choose a rule", field="rule")
        claim = ClaimIn(
            rule=self.rule,
            investment_fen=fen_of(self.investment, "investment"),
            declared=frozenset(self.declared),
            recognised=self.recognised,
        )
        if kind == "enterprise":
            enterprise_id = None
            if self.enterprise.strip():
                enterprise_id = enterprise_by_code(db, scope, self.enterprise).id
            return replace(
                claim, project_id=_id(self.project, "project"), enterprise_id=enterprise_id
            )
        if kind == "contractor":
            return replace(claim, contractor_org_id=_id(self.contractor, "contractor"))
        return replace(claim, product_id=_id(self.product, "product"))

    def query(self) -> dict[str, Any]:
        """Return the values to carry into the approval form."""
        return {
            "rule": self.rule,
            "project": self.project,
            "enterprise": self.enterprise,
            "contractor": self.contractor,
            "product": self.product,
            "investment": self.investment,
            "declared": list(self.declared),
            "recognised": self.recognised,
        }


def _id(raw: str, name: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValidationFailed(
            "%(field)s: choose from the list", field=name, params={"field": name}
        )
    return int(text)


def _page(
    request: Request,
    db: Session,
    scope: Scope,
    form: QuoteForm,
    *,
    view: dict[str, Any] | None = None,
    error: str = "",
    error_field: str = "",
    status: int = 200,
) -> Response:
    gettext = translator(request)
    kind = form.kind()
    rules = builtin_ruleset()
    context = {
        "form": form,
        "kind": kind,
        "kind_text": label(KIND_LABELS, kind, gettext) if kind else "",
        "rules": [(r.id, label(RULE_LABELS, r.id, gettext), r.clause) for r in rules.rules],
        "rule_title": next((r.title for r in rules.rules if r.id == form.rule), ""),
        "projects": project_choices(db, scope) if kind in ("", "enterprise") else [],
        "contractors": contractor_choices(db) if kind in ("", "contractor") else [],
        "products": product_choices(db, scope) if kind in ("", "product") else [],
        "declarable": [(d, label(DESIGNATION_LABELS, d, gettext)) for d in DECLARABLE],
        "view": view,
        "error": error,
        "error_field": error_field,
        "can_manage": scope.can(MANAGE),
        "carry": form.query(),
    }
    return render(request, "subsidy/quote.html", context, status=status)


def _form(
    rule: str,
    project: str,
    enterprise: str,
    contractor: str,
    product: str,
    investment: str,
    declared: list[str],
    recognised: str,
) -> QuoteForm:
    return QuoteForm(
        rule=rule.strip(),
        project=project,
        enterprise=enterprise,
        contractor=contractor,
        product=product,
        investment=investment,
        declared=tuple(d for d in declared if d),
        recognised=recognised in ("yes", "true", "on", "1"),
    )


@router.get("/quote")
def quote_page(
    request: Request,
    rule: str = Query("", max_length=60),
    project: str = Query("", max_length=20),
    enterprise: str = Query("", max_length=40),
    contractor: str = Query("", max_length=20),
    product: str = Query("", max_length=20),
    investment: str = Query("", max_length=40),
    declared: list[str] = Query([]),
    recognised: str = Query("", max_length=5),
    scope: Scope = require(READ),
    db: Session = DB,
) -> Response:
    """Show the quote form and, once a rule and a beneficiary are named, the quote."""
    form = _form(rule, project, enterprise, contractor, product, investment, declared, recognised)
    if not form.named():
        return _page(request, db, scope, form)
    gettext = translator(request)
    try:
        claim, result = svc.quote_claim(db, scope, form.claim(db, scope))
    except DomainError as exc:
        db.rollback()
        return _page(
            request,
            db,
            scope,
            form,
            error=error_text(exc, gettext),
            error_field=exc.field or "",
            status=exc.status_code,
        )
    view = quote_view(claim, result, gettext)
    view["amount_input"] = cny_input(result.amount_fen)
    view["beneficiary"] = claim.name
    view["provider"] = claim.provider_name
    view["project_id"] = claim.project_id
    return _page(request, db, scope, form, view=view)


@router.post("/awards")
def approve_award(
    request: Request,
    rule: str = Form(""),
    project: str = Form(""),
    enterprise: str = Form(""),
    contractor: str = Form(""),
    product: str = Form(""),
    investment: str = Form(""),
    declared: list[str] = Form([]),
    recognised: str = Form(""),
    amount: str = Form(""),
    note: str = Form(""),
    scope: Scope = require(MANAGE),
    db: Session = DB,
) -> Response:
    """Approve the quoted award (quoted again now); show the quote with the refusal if any."""
    form = _form(rule, project, enterprise, contractor, product, investment, declared, recognised)
    gettext = translator(request)
    try:
        award = svc.approve(
            db,
            scope,
            form.claim(db, scope),
            amount_fen=fen_of(amount, "amount"),
            note=note,
        )
    except DomainError as exc:
        db.rollback()
        message = error_text(exc, gettext)
        view = None
        try:
            claim, result = svc.quote_claim(db, scope, form.claim(db, scope))
            view = quote_view(claim, result, gettext)
            view |= {"amount_input": amount, "beneficiary": claim.name}
            view |= {"provider": claim.provider_name, "project_id": claim.project_id}
        except DomainError:
            db.rollback()
        return _page(
            request,
            db,
            scope,
            form,
            view=view,
            error=message,
            error_field=exc.field or "",
            status=exc.status_code,
        )
    return RedirectResponse(f"{BASE}/awards/{award.id}", status_code=303)

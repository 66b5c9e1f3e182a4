"""JSON API for the caller's identity and the organisation's tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.authz.principal import resolve_principal
from loom.kernel.identity.schemas import MembershipOut, MeOut, TokenCreate, TokenIssued, TokenOut
from loom.kernel.identity.service import TokenRepository, create_token, revoke_token
from loom.kernel.runtime import get_db, runtime_of
from loom.kernel.tenancy.scope import Scope
from loom.kernel.web.pagination import PageOut

router = APIRouter(tags=["identity"])


@router.get("/me", response_model=MeOut)
def me(
    request: Request,
    scope: Scope = require("kernel.profile.view"),
    db: Session = Depends(get_db, scope="function"),
) -> MeOut:
    """Return who is calling, in which organisation, with which permissions."""
    principal = resolve_principal(request, db)
    return MeOut(
        username=principal.user.username if principal.user else None,
        display_name=principal.user.display_name if principal.user else None,
        token_name=principal.token.name if principal.token else None,
        org_id=principal.org.id,
        org_name=principal.org.name,
        org_kind=principal.org.kind.value,
        permissions=sorted(scope.permissions),
        memberships=[
            MembershipOut(
                org_id=m.org_id,
                org_slug=m.organisation.slug,
                org_name=m.organisation.name,
                org_kind=m.organisation.kind.value,
                role=m.role.value,
            )
            for m in principal.memberships
        ],
    )


@router.get("/tokens", response_model=PageOut[TokenOut])
def list_tokens(
    offset: int = Query(0, ge=0),
    limit: int = Query(50, ge=1, le=200),
    scope: Scope = require("kernel.token.read"),
    db: Session = Depends(get_db, scope="function"),
) -> PageOut[TokenOut]:
    """List the organisation's tokens, newest first."""
    page = TokenRepository(db, scope).listing(offset, limit)
    return PageOut.of(page, TokenOut)


@router.post("/tokens", response_model=TokenIssued, status_code=201)
def issue(
    body: TokenCreate,
    request: Request,
    scope: Scope = require("kernel.token.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> TokenIssued:
    """Issue a token; its plain value is returned once and never again."""
    token, issued = create_token(
        db,
        scope,
        runtime_of(request).registry,
        name=body.name,
        permissions=body.permissions,
        days=body.days,
        kind=body.kind,
    )
    return TokenIssued(**TokenOut.model_validate(token).model_dump(), token=issued.plain)


@router.get("/tokens/{token_id}", response_model=TokenOut)
def read_token(
    token_id: int,
    scope: Scope = require("kernel.token.read"),
    db: Session = Depends(get_db, scope="function"),
) -> TokenOut:
    """Return one token (never its secret), with its last use."""
    return TokenOut.model_validate(TokenRepository(db, scope).get(token_id))


@router.post("/tokens/{token_id}/revoke", response_model=TokenOut)
def revoke(
    token_id: int,
    scope: Scope = require("kernel.token.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> TokenOut:
    """Revoke a token at once."""
    return TokenOut.model_validate(revoke_token(db, scope, token_id))

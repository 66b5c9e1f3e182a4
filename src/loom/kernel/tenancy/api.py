"""Members of the organisation: JSON API and page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.errors import DomainError
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.models import Role
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import add_member, change_role, list_members, remove_member
from loom.kernel.web.inputs import ApiIn
from loom.kernel.web.openapi import error_responses
from loom.kernel.web.templating import render

router = APIRouter(tags=["members"])
pages = APIRouter(include_in_schema=False)


class MemberOut(BaseModel):
    """A member of the organisation."""

    membership_id: int
    username: str
    display_name: str
    role: str


class MemberAdd(ApiIn):
    """Add a member: a new account (with password) or an existing user (without)."""

    username: str = Field(min_length=3, max_length=64)
    role: Role
    display_name: str = Field(default="", max_length=120)
    password: str = Field(default="", max_length=200)


class RoleChange(ApiIn):
    """New role for a member."""

    role: Role


@router.get("/members", response_model=list[MemberOut])
def members(
    scope: Scope = require("kernel.member.read"),
    db: Session = Depends(get_db, scope="function"),
) -> list[MemberOut]:
    """List the organisation's members."""
    return [
        MemberOut(
            membership_id=m.id, username=u.username, display_name=u.display_name, role=m.role.value
        )
        for m, u in list_members(db, scope)
    ]


@router.put("/members/{membership_id}", response_model=MemberOut)
def set_role(
    membership_id: int,
    body: RoleChange,
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> MemberOut:
    """Change a member's role."""
    m = change_role(db, scope, membership_id, body.role.value)
    u = next(u for mm, u in list_members(db, scope) if mm.id == m.id)
    return MemberOut(
        membership_id=m.id, username=u.username, display_name=u.display_name, role=m.role.value
    )


@router.post(
    "/members",
    response_model=MemberOut,
    status_code=201,
    responses=error_responses(404),  # an unknown username without a password to create it
)
def create_member(
    body: MemberAdd,
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> MemberOut:
    """Add a member to the organisation."""
    m = add_member(
        db,
        scope,
        username=body.username,
        role=body.role.value,
        display_name=body.display_name,
        password=body.password,
    )
    u = next(u for mm, u in list_members(db, scope) if mm.id == m.id)
    return MemberOut(
        membership_id=m.id, username=u.username, display_name=u.display_name, role=m.role.value
    )


@router.delete("/members/{membership_id}", status_code=204)
def delete_member(
    membership_id: int,
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Remove a member from the organisation (the account itself stays)."""
    remove_member(db, scope, membership_id)
    return Response(status_code=204)


@pages.get("/settings/members")
def members_view(
    request: Request,
    scope: Scope = require("kernel.member.read"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Show members and their roles."""
    return render(
        request,
        "members.html",
        {"members": list_members(db, scope), "roles": [r.value for r in Role]},
    )


@pages.post("/settings/members/{membership_id}")
def members_set_role(
    membership_id: int,
    request: Request,
    role: str = Form(...),
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Change a member's role from the members page."""
    change_role(db, scope, membership_id, role)
    return RedirectResponse("/settings/members", status_code=303)


@pages.post("/settings/members")
def members_add(
    request: Request,
    username: str = Form(""),
    role: str = Form("member"),
    display_name: str = Form(""),
    password: str = Form(""),
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Add a member from the members page; errors re-render the form with what was typed."""
    try:
        add_member(
            db, scope, username=username, role=role, display_name=display_name, password=password
        )
    except DomainError as exc:
        db.rollback()
        return render(
            request,
            "members.html",
            {
                "members": list_members(db, scope),
                "roles": [r.value for r in Role],
                "error": exc.template,
                "error_params": exc.params,
                "error_field": exc.field,
                "form": {"username": username, "role": role, "display_name": display_name},
            },
            status=exc.status_code,
        )
    return RedirectResponse("/settings/members", status_code=303)


@pages.post("/settings/members/{membership_id}/remove")
def members_remove(
    membership_id: int,
    scope: Scope = require("kernel.member.manage"),
    db: Session = Depends(get_db, scope="function"),
) -> Response:
    """Remove a member from the members page."""
    remove_member(db, scope, membership_id)
    return RedirectResponse("/settings/members", status_code=303)

"""Members of the organisation: JSON API and page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from loom.kernel.authz.guard import require
from loom.kernel.runtime import get_db
from loom.kernel.tenancy.models import Role
from loom.kernel.tenancy.scope import Scope
from loom.kernel.tenancy.service import change_role, list_members
from loom.kernel.web.templating import render

router = APIRouter(tags=["members"])
pages = APIRouter(include_in_schema=False)


class MemberOut(BaseModel):
    """A member of the organisation."""

    membership_id: int
    username: str
    display_name: str
    role: str


class RoleChange(BaseModel):
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

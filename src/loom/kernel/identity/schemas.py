"""API shapes for users and tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from loom.kernel.web.inputs import ApiIn


class TokenCreate(ApiIn):
    """Request to issue an API or device token."""

    name: str = Field(min_length=1, max_length=120)
    permissions: list[str] = Field(min_length=1)
    days: int = Field(default=90, ge=1, le=730)
    kind: str = Field(default="integration", pattern="^(integration|device)$")


class TokenOut(BaseModel):
    """A token as listed: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    prefix: str
    permissions: list[str]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIssued(TokenOut):
    """A token just created: the plain value is shown this once."""

    token: str


class MembershipOut(BaseModel):
    """One organisation the user belongs to."""

    org_id: int
    org_slug: str
    org_name: str
    org_kind: str
    role: str


class MeOut(BaseModel):
    """The caller: user or token, active organisation and permissions."""

    username: str | None
    display_name: str | None
    token_name: str | None
    org_id: int
    org_name: str
    org_kind: str
    permissions: list[str]
    memberships: list[MembershipOut]

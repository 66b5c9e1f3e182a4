"""The two-organisation leak suite that every module and app reuses.

Organisation B must neither list, read, update nor delete organisation A's rows; single
objects answer 404 (not 403), so B cannot even learn that the id exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind, Role
from loom.testing.factory import Factory, OrgRef


@dataclass
class TenantPair:
    """Two organisations of one kind, each with an admin client."""

    a: OrgRef
    b: OrgRef
    client_a: TestClient
    client_b: TestClient


def make_tenant_pair(
    factory: Factory, kind: OrgKind = OrgKind.ENTERPRISE, tag: str = ""
) -> TenantPair:
    """Create organisations A and B with admins ``alice`` and ``bob``."""
    a = factory.org(f"org-a{tag}", kind, name="Org A")
    b = factory.org(f"org-b{tag}", kind, name="Org B")
    factory.user(f"alice{tag}", (a, Role.ADMIN))
    factory.user(f"bob{tag}", (b, Role.ADMIN))
    return TenantPair(a, b, factory.client(f"alice{tag}"), factory.client(f"bob{tag}"))


@dataclass
class TenantResource:
    """How to create, list and address one kind of tenant-owned object over the API."""

    name: str
    list_url: str
    item_url: str  # with "{id}"
    create: Callable[[TestClient], Any]  # returns the new object's id
    update_method: str = "PATCH"
    update_body: dict[str, Any] | None = None
    deletable: bool = True
    list_key: str = "items"
    id_key: str = "id"
    extra_urls: list[str] = field(default_factory=list)  # more "{id}" URLs that must 404
    # A list under a parent of A's (e.g. /jobs/{parent}/receipts) must itself answer 404 to B.
    parent_scoped_list: bool = False


def _ids(payload: Any, resource: TenantResource) -> list[Any]:
    items = payload[resource.list_key] if isinstance(payload, dict) else payload
    return [item[resource.id_key] for item in items]


def assert_tenant_isolation(pair: TenantPair, resource: TenantResource) -> None:
    """Prove that B cannot list, read, update or delete an object A created."""
    object_id = resource.create(pair.client_a)
    url = resource.item_url.format(id=object_id)
    before = pair.client_a.get(url)
    assert before.status_code == 200, f"{resource.name}: owner cannot read its own object"

    listed_a = pair.client_a.get(resource.list_url)
    assert object_id in _ids(listed_a.json(), resource), f"{resource.name}: owner list lacks it"
    listed_b = pair.client_b.get(resource.list_url)
    if resource.parent_scoped_list:
        assert listed_b.status_code == 404, f"{resource.name}: B may list under A's parent"
    else:
        assert listed_b.status_code == 200
        assert object_id not in _ids(listed_b.json(), resource), f"{resource.name}: B lists it"

    read = pair.client_b.get(url)
    assert read.status_code == 404, f"{resource.name}: B reading A's object got {read.status_code}"
    assert read.json()["error"]["code"] == "not_found"
    for extra in resource.extra_urls:
        got = pair.client_b.get(extra.format(id=object_id))
        assert got.status_code == 404, f"{resource.name}: B got {got.status_code} from {extra}"
    if resource.update_body is not None:
        upd = pair.client_b.request(resource.update_method, url, json=resource.update_body)
        assert upd.status_code == 404, (
            f"{resource.name}: B updating A's object got {upd.status_code}"
        )
    if resource.deletable:
        gone = pair.client_b.delete(url)
        assert gone.status_code == 404, (
            f"{resource.name}: B deleting A's object got {gone.status_code}"
        )

    after = pair.client_a.get(url)
    assert after.status_code == 200, f"{resource.name}: A lost its object after B's attempts"
    assert after.json() == before.json(), f"{resource.name}: A's object changed after B's attempts"

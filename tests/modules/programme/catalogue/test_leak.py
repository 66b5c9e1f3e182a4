"""The shared leak suite on contractors' products: a withdrawn product is its owner's alone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from loom.kernel.tenancy.models import OrgKind
from loom.testing.factory import Factory
from loom.testing.leak import TenantResource, assert_tenant_isolation, make_tenant_pair
from loom.testing.plugin import both_backends
from tests.modules.programme.catalogue.helpers import API, product_body, publish


def _withdrawn(client: TestClient) -> int:
    # a published product is public by design; withdrawn, it belongs to its contractor only
    product_id = int(publish(client)["id"])
    assert client.post(f"{API}/products/{product_id}/withdraw").status_code == 200
    return product_id


@both_backends
def test_another_contractor_cannot_list_read_or_change_a_withdrawn_product(
    factory: Factory,
) -> None:
    pair = make_tenant_pair(factory, OrgKind.CONTRACTOR)
    resource = TenantResource(
        name="product",
        list_url=f"{API}/products/mine",
        item_url=f"{API}/products/{{id}}",
        create=_withdrawn,
        update_method="PUT",
        update_body=product_body(name="改名"),
        deletable=False,
    )
    assert_tenant_isolation(pair, resource)
    # nor put it back in the catalogue
    mine = pair.client_a.get(f"{API}/products/mine").json()["items"][0]
    assert pair.client_b.post(f"{API}/products/{mine['id']}/republish").status_code == 404
    assert pair.client_b.get(f"{API}/products").json()["total"] == 0

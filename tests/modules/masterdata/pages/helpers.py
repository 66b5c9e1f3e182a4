"""Shortcuts of the master-data page tests: paths, Chinese texts, a seeded style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from loom.kernel.web.i18n import Catalogues
from loom.kernel.web.templating import KERNEL_TRANSLATIONS
from loom.modules.masterdata.app import HERE
from tests.modules.masterdata.helpers import API, create_op, create_style

PAGES = "/apps/masterdata"
CATALOGUES = Catalogues([KERNEL_TRANSLATIONS, HERE / "translations"])


def zh(msgid: str, **params: Any) -> str:
    """Return the Chinese text of ``msgid``; a missing translation fails the test."""
    text = CATALOGUES.gettext("zh_CN", msgid)
    assert text != msgid, f"no zh_CN translation for {msgid!r}"
    return text % params if params else text


@dataclass
class Shirt:
    """A style with a three-step routing, two rates and a two-line BOM."""

    style: dict[str, Any]
    ops: list[dict[str, Any]]


def seed_shirt(client: TestClient) -> Shirt:
    """Create ST-001 (白/蓝 × S/M/L) routed OP-010 → OP-020 → OP-030, with a BOM."""
    style = create_style(client)
    ops = [
        create_op(client, "OP-010", name="上领", sam="1.25"),
        create_op(client, "OP-020", name="绱袖", sam="0.80", machine_type="overlock"),
        create_op(client, "OP-030", name="钉扣", sam="0.45", machine_type="button", skill_grade=2),
    ]
    for op, rate in zip(ops[:2], ("0.30", "0.25"), strict=True):
        made = client.post(
            f"{API}/operations/{op['id']}/rates",
            json={"rate": rate, "effective_from": "2025-01-01"},
        )
        assert made.status_code == 201, made.text
    steps = [
        {"operation_id": ops[0]["id"], "predecessors": []},
        {"operation_id": ops[1]["id"], "predecessors": [ops[0]["id"]]},
        {"operation_id": ops[2]["id"], "predecessors": [ops[1]["id"]]},
    ]
    routed = client.put(f"{API}/styles/{style['id']}/routing", json={"steps": steps})
    assert routed.status_code == 200, routed.text
    lines = [
        {
            "material_code": "F-01",
            "material_name": "府绸",
            "kind": "fabric",
            "unit": "m",
            "consumption": {"S": "1.2", "M": "1.3", "L": "1.45"},
        },
        {
            "material_code": "T-01",
            "material_name": "纽扣",
            "kind": "trim",
            "unit": "piece",
            "consumption": {"S": "7", "M": "7", "L": "8"},
        },
    ]
    made_bom = client.put(f"{API}/styles/{style['id']}/bom", json={"lines": lines})
    assert made_bom.status_code == 200, made_bom.text
    return Shirt(style, ops)

"""``loom subsidy quote --org``: facts and earlier awards read from a bureau's database."""

from __future__ import annotations

import json

from loom.modules.subsidy.service import awards as svc
from loom.modules.subsidy.service.claims import ClaimIn
from loom.testing.factory import Factory
from loom.testing.plugin import LoomCli
from tests.modules.subsidy.ledger import (
    WAN,
    bureau,
    contractor,
    credit_code,
    db,
    pilot_project,
    product,
    scope_of,
)


def test_quote_for_a_project_reads_the_database(factory: Factory, loom_cli: LoomCli) -> None:
    district = bureau(factory)
    project = pilot_project(factory, district.org, 1, invest_fen=80 * WAN)
    result = loom_cli(
        "subsidy", "quote", "--rule", "pilot-project", "--org", "haishu", "--project", str(project)
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    # the project's recorded 800,000: 50% = 400,000, within the 500,000 cap; 5:3:2
    assert printed["investment"] == {"cny": "800000.00", "fen": 80 * WAN}
    assert (printed["amount"]["cny"], printed["limit_applied"]) == ("400000.00", "share")
    assert {f: part["cny"] for f, part in printed["split"].items()} == {
        "central": "200000.00",
        "city": "120000.00",
        "district": "80000.00",
    }
    assert printed["org"] == "haishu"
    assert printed["beneficiary"]["name"] == "试点企业1"
    assert printed["facts"]["listed_as"] == ["national-pilot"]
    given = {c["fact"]: c["given"] for c in printed["conditions"]}
    assert given == {"listed_as": ["national-pilot"], "accepted": True, "level": 2}


def test_quote_counts_the_ledger(factory: Factory, loom_cli: LoomCli) -> None:
    district = bureau(factory)
    pilot_project(factory, district.org, 2, invest_fen=150 * WAN)
    acme = contractor(factory, "acme-soft")
    items = [product(factory, acme, name, marked_by=district.org) for name in "abcd"]
    scope = scope_of(district.org)
    with db(factory) as session:
        svc.approve(session, scope, ClaimIn("pilot-project", enterprise_id=1), amount_fen=35 * WAN)
        for item, fen in zip(items, (10 * WAN, 10 * WAN, 5 * WAN), strict=False):
            svc.approve(
                session, scope, ClaimIn("excellent-product-award", product_id=item), amount_fen=fen
            )
    by_code = loom_cli(
        "subsidy", "quote", "--rule", "pilot-project", "--org", "haishu",
        "--enterprise", credit_code(2), "--investment", "1500000",
    )  # fmt: skip
    printed = json.loads(by_code.stdout)
    # 500,000 - 350,000 already awarded = 150,000
    assert (printed["amount"]["cny"], printed["limit_applied"]) == (
        "150000.00",
        "per_beneficiary_cap",
    )
    assert printed["headroom"]["per_beneficiary_cap"]["awarded"]["cny"] == "350000.00"
    fourth = loom_cli(
        "subsidy", "quote", "--rule", "excellent-product-award", "--org", "haishu",
        "--product", str(items[3]),
    )  # fmt: skip
    printed = json.loads(fourth.stdout)
    # acme has 100,000 + 100,000 + 50,000 = 250,000 of its 300,000
    assert (printed["amount"]["cny"], printed["limit_applied"]) == ("50000.00", "per_provider_cap")
    assert printed["beneficiary"]["provider"] == "acme-soft 科技"


def test_declared_facts_and_contractors_by_slug(factory: Factory, loom_cli: LoomCli) -> None:
    bureau(factory)
    contractor(factory, "acme-soft")
    args = ("subsidy", "quote", "--rule", "excellent-contractor-award", "--org", "haishu")
    plain = json.loads(loom_cli(*args, "--contractor", "acme-soft").stdout)
    assert (plain["eligible"], plain["amount"]["fen"]) == (False, 0)
    listed = loom_cli(
        *args, "--contractor", "acme-soft", "--fact", "listed_as=municipal-excellent-contractor"
    )
    printed = json.loads(listed.stdout)
    assert (printed["eligible"], printed["amount"]["cny"]) == (True, "1000000.00")
    assert printed["facts"]["declared"] == ["municipal-excellent-contractor"]


def test_with_org_bad_options_exit_2_naming_them(factory: Factory, loom_cli: LoomCli) -> None:
    district = bureau(factory)
    project = str(pilot_project(factory, district.org, 3))
    contractor(factory, "acme-soft")
    base = ("subsidy", "quote", "--rule", "pilot-project")
    ours = (*base, "--org", "haishu")
    cases = [
        ((*base, "--org", "nowhere", "--project", project), "  --org: no organisation with slug"),
        ((*base, "--project", project), "  --project: needs --org"),
        ((*ours, "--project", project, "--prior", "x.json"), "  --prior: not with --org"),
        ((*ours, "--project", project, "--fact", "accepted=true"), "  --fact accepted: is read"),
        ((*ours, "--project", "999999"), "  --project: Project 999999 not found"),
        ((*ours, "--enterprise", "X"), "  --enterprise: no registry entry"),
        ((*ours, "--contractor", "nobody"), "  --contractor: no contractor organisation nobody"),
        (
            (*ours, "--contractor", "acme-soft"),
            "  --contractor: rule pilot-project awards the kind",
        ),
        (ours, "  --project: name the enterprise"),
    ]
    for args, expected in cases:
        result = loom_cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stdout == ""
        assert expected in result.stderr, (args, result.stderr)
    not_bureau = loom_cli(*base, "--org", "acme-soft", "--project", project)
    assert "  --org: acme-soft is not a bureau" in not_bureau.stderr

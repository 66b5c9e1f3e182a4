"""Claims: who a quote or award is for, and the facts about it read from the programme.

The programme records most facts the rules test: a project of a selected pilot is a national
pilot project, its status says whether it was accepted, its recorded on-site "after" result gives
the digital level, its honours name municipal samples and benchmarks, and the bureau's product
marks name excellent products. The few facts Loom does not record (a municipal list of excellent
contractors or enterprise brains, the district's concentrated transformations) the bureau
declares by hand; the award keeps which facts were declared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.models import Organisation, OrgKind
from loom.kernel.tenancy.scope import Scope
from loom.modules.programme.models import Enterprise, OnsiteResult, Product, ProductMark, Project
from loom.modules.programme.service import projects as programme_projects
from loom.modules.subsidy.engine import Claimant, FactValue, Rule, RuleSet, builtin_ruleset
from loom.modules.subsidy.priors import claimant_of

#: designations Loom does not record, which the bureau may declare for a claim
DECLARABLE = (
    "district-concentrated",
    "municipal-enterprise-brain",
    "municipal-excellent-contractor",
)
#: project honours (set by the programme's lifecycle) and the designation each one is
HONOUR_DESIGNATIONS = {"municipal_sample": "municipal-sample", "benchmark": "first-batch-benchmark"}
#: a pilot's project stops being a pilot project when it is withdrawn
NOT_PILOT = frozenset({"withdrawn"})
#: the published catalogue is public by design: the product's name and provider are read
#: through one explicit all-tenants query (as the catalogue itself does)
ALL_TENANTS = {"loom_all_tenants": True}


@dataclass(frozen=True)
class ClaimIn:
    """What a caller names: the rule, the beneficiary, the investment and declared facts."""

    rule: str
    project_id: int | None = None
    enterprise_id: int | None = None
    contractor_org_id: int | None = None
    product_id: int | None = None
    investment_fen: int | None = None
    declared: frozenset[str] = frozenset()
    recognised: bool = False


@dataclass(frozen=True)
class Claim:
    """A claim resolved against the database: the rule, the beneficiary, the facts."""

    rule: Rule
    kind: str
    claimant: Claimant
    name: str
    provider_name: str = ""
    enterprise_id: int | None = None
    project_id: int | None = None
    contractor_org_id: int | None = None
    product_id: int | None = None
    investment_fen: int | None = None
    facts: dict[str, FactValue] = field(default_factory=dict)
    declared: frozenset[str] = frozenset()

    def facts_record(self) -> dict[str, Any]:
        """Return the facts as plain data for the award and the audit trail."""
        plain: dict[str, Any] = {
            name: sorted(value) if isinstance(value, frozenset) else value
            for name, value in self.facts.items()
        }
        plain["declared"] = sorted(self.declared)
        return plain


def kind_of(rule: Rule) -> str:
    """Return who a rule's awards go to: ``product`` when it caps awards per product."""
    return "product" if rule.per_product_cap_fen is not None else rule.beneficiary


def rule_of(ruleset: RuleSet, rule_id: str) -> Rule:
    """Return the rule, or refuse naming the field ``rule``."""
    try:
        return ruleset.rule(rule_id)
    except LookupError:
        known = ", ".join(rule.id for rule in ruleset.rules)
        raise ValidationFailed(
            "rule: no rule %(rule)s; the rules are %(known)s",
            field="rule",
            params={"rule": rule_id, "known": known},
        ) from None


def enterprise_by_code(session: Session, scope: Scope, credit_code: str) -> Enterprise:
    """Return the bureau's registry entry with this credit code, or 404 naming ``enterprise``."""
    code = credit_code.strip().upper()
    row = session.scalars(
        select(Enterprise).where(Enterprise.org_id == scope.org_id, Enterprise.credit_code == code)
    ).first()
    if row is None:
        raise NotFound(
            "enterprise: no registry entry with credit code %(code)s",
            field="enterprise",
            params={"code": code},
        )
    return row


def _enterprise(session: Session, scope: Scope, enterprise_id: int) -> Enterprise:
    row = session.scalars(
        select(Enterprise).where(Enterprise.id == enterprise_id, Enterprise.org_id == scope.org_id)
    ).first()
    if row is None:
        raise NotFound(
            "Enterprise %(id)s not found", field="enterprise", params={"id": enterprise_id}
        )
    return row


def _project(session: Session, scope: Scope, project_id: int) -> Project:
    row = session.scalars(
        select(Project).where(Project.id == project_id, Project.org_id == scope.org_id)
    ).first()
    if row is None:
        raise NotFound("Project %(id)s not found", field="project", params={"id": project_id})
    return row


def _project_of(session: Session, scope: Scope, enterprise: Enterprise) -> Project | None:
    return session.scalars(
        select(Project).where(
            Project.org_id == scope.org_id, Project.enterprise_id == enterprise.id
        )
    ).first()


def _after_level(session: Session, project: Project) -> int | None:
    row = session.scalars(
        select(OnsiteResult).where(
            OnsiteResult.project_id == project.id,
            OnsiteResult.org_id == project.org_id,
            OnsiteResult.phase == "after",
        )
    ).first()
    return None if row is None else row.level


def _only(claim: ClaimIn, kind: str, *allowed: str) -> None:
    """Refuse beneficiary fields the rule's kind of beneficiary does not use."""
    given = {
        "project": claim.project_id,
        "enterprise": claim.enterprise_id,
        "contractor": claim.contractor_org_id,
        "product": claim.product_id,
    }
    for name, value in given.items():
        if value is not None and name not in allowed:
            raise ValidationFailed(
                "%(field)s: rule %(rule)s awards the kind %(kind)s; leave %(field)s out",
                field=name,
                params={"field": name, "rule": claim.rule, "kind": kind},
            )
    if all(given[name] is None for name in allowed):
        raise ValidationFailed(
            "%(field)s: name the %(kind)s this award is for",
            field=allowed[0],
            params={"field": allowed[0], "kind": kind},
        )


def _declared(claim: ClaimIn, ruleset: RuleSet) -> frozenset[str]:
    known = {designation.id for designation in ruleset.designations}
    for designation in sorted(claim.declared):
        if designation not in known:
            raise ValidationFailed(
                "declared: unknown designation %(designation)s",
                field="declared",
                params={"designation": designation},
            )
        if designation not in DECLARABLE:
            raise ValidationFailed(
                "declared: %(designation)s is read from the programme's records, not declared",
                field="declared",
                params={"designation": designation},
            )
    return claim.declared


def resolve(
    session: Session, scope: Scope, claim: ClaimIn, ruleset: RuleSet | None = None
) -> Claim:
    """Return the claim with its beneficiary found in the bureau's records and its facts."""
    rules = ruleset or builtin_ruleset()
    rule = rule_of(rules, claim.rule)
    declared = _declared(claim, rules)
    kind = kind_of(rule)
    if claim.investment_fen is not None and claim.investment_fen < 0:
        raise ValidationFailed("investment: must not be negative", field="investment")
    if kind == "enterprise":
        _only(claim, kind, "project", "enterprise")
        return _enterprise_claim(session, scope, claim, rule, declared)
    if kind == "contractor":
        _only(claim, kind, "contractor")
        return _contractor_claim(session, claim, rule, declared)
    _only(claim, kind, "product")
    return _product_claim(session, scope, claim, rule, declared)


def _base_facts(claim: ClaimIn, declared: frozenset[str]) -> dict[str, FactValue]:
    return {"listed_as": frozenset(declared), "recognised": claim.recognised}


def _enterprise_claim(
    session: Session, scope: Scope, claim: ClaimIn, rule: Rule, declared: frozenset[str]
) -> Claim:
    project: Project | None = None
    if claim.project_id is not None:
        project = _project(session, scope, claim.project_id)
        enterprise = _enterprise(session, scope, project.enterprise_id)
        if claim.enterprise_id is not None and claim.enterprise_id != enterprise.id:
            raise ValidationFailed(
                "project: project %(id)s is not the project of enterprise %(enterprise)s",
                field="project",
                params={"id": project.id, "enterprise": claim.enterprise_id},
            )
    else:
        assert claim.enterprise_id is not None  # _only() saw one of the two
        enterprise = _enterprise(session, scope, claim.enterprise_id)
        project = _project_of(session, scope, enterprise)
    facts = _base_facts(claim, declared)
    investment = claim.investment_fen
    if project is not None:
        listed = set(declared)
        if project.status not in NOT_PILOT:
            listed.add("national-pilot")
        listed |= {HONOUR_DESIGNATIONS[h] for h in project.honours if h in HONOUR_DESIGNATIONS}
        facts["listed_as"] = frozenset(listed)
        facts["accepted"] = project.status == "accepted"
        level = _after_level(session, project)
        if level is not None:
            facts["level"] = level
        if investment is None and rule.share is not None:
            # a share rule pays on the actual investment: the project's recorded lines
            investment = programme_projects.investment_total(session, project)
    return Claim(
        rule=rule,
        kind="enterprise",
        claimant=claimant_of("enterprise", enterprise_id=enterprise.id),
        name=enterprise.name,
        enterprise_id=enterprise.id,
        project_id=None if project is None else project.id,
        investment_fen=investment,
        facts=facts,
        declared=declared,
    )


def _organisation(session: Session, org_id: int, field_name: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None or org.kind != OrgKind.CONTRACTOR:
        raise NotFound(
            "%(field)s: no contractor organisation %(id)s",
            field=field_name,
            params={"field": field_name, "id": org_id},
        )
    return org


def contractor_by_slug(session: Session, slug: str) -> Organisation:
    """Return the contractor organisation with this slug, or 404 naming ``contractor``."""
    org = session.scalars(select(Organisation).where(Organisation.slug == slug.strip())).first()
    if org is None or org.kind != OrgKind.CONTRACTOR:
        raise NotFound(
            "contractor: no contractor organisation %(slug)s",
            field="contractor",
            params={"slug": slug},
        )
    return org


def _contractor_claim(
    session: Session, claim: ClaimIn, rule: Rule, declared: frozenset[str]
) -> Claim:
    assert claim.contractor_org_id is not None
    org = _organisation(session, claim.contractor_org_id, "contractor")
    return Claim(
        rule=rule,
        kind="contractor",
        claimant=claimant_of("contractor", contractor_org_id=org.id),
        name=org.name,
        contractor_org_id=org.id,
        investment_fen=claim.investment_fen,
        facts=_base_facts(claim, declared),
        declared=declared,
    )


def _product_claim(
    session: Session, scope: Scope, claim: ClaimIn, rule: Rule, declared: frozenset[str]
) -> Claim:
    assert claim.product_id is not None
    mark = session.scalars(
        select(ProductMark).where(
            ProductMark.org_id == scope.org_id, ProductMark.product_id == claim.product_id
        )
    ).first()
    product = session.scalars(
        select(Product).where(Product.id == claim.product_id), execution_options=ALL_TENANTS
    ).first()
    # a product the bureau never marked must at least be in the published catalogue
    if product is None or (mark is None and product.status != "published"):
        raise NotFound("Product %(id)s not found", field="product", params={"id": claim.product_id})
    provider = _organisation(session, product.org_id, "product")
    facts = _base_facts(claim, declared)
    if mark is not None and mark.excellent:
        facts["listed_as"] = frozenset(declared | {"municipal-excellent-product"})
    return Claim(
        rule=rule,
        kind="product",
        claimant=claimant_of("product", contractor_org_id=provider.id, product_id=product.id),
        name=product.name,
        provider_name=provider.name,
        contractor_org_id=provider.id,
        product_id=product.id,
        investment_fen=claim.investment_fen,
        facts=facts,
        declared=declared,
    )


@dataclass(frozen=True)
class Choice:
    """One beneficiary a form offers: its id, its name and a hint (provider, status…)."""

    id: int
    name: str
    hint: str = ""
    flag: bool = False


def project_choices(session: Session, scope: Scope) -> list[Choice]:
    """Return the bureau's projects with their enterprise; ``flag`` marks accepted ones."""
    rows = session.execute(
        select(Project.id, Project.title, Project.status, Enterprise.name)
        .join(Enterprise, Enterprise.id == Project.enterprise_id)
        .where(Project.org_id == scope.org_id)
        .order_by(Project.id)
    )
    return [Choice(pid, title, name, status == "accepted") for pid, title, status, name in rows]


def contractor_choices(session: Session) -> list[Choice]:
    """Return the active contractor organisations."""
    rows = session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrgKind.CONTRACTOR, Organisation.is_active.is_(True))
        .order_by(Organisation.name)
    )
    return [Choice(org.id, org.name, org.slug) for org in rows]


def product_choices(session: Session, scope: Scope) -> list[Choice]:
    """Return published products and those the bureau marked; ``flag``: marked excellent."""
    marked = {
        mark.product_id: mark.excellent
        for mark in session.scalars(select(ProductMark).where(ProductMark.org_id == scope.org_id))
    }
    stmt = (
        select(Product.id, Product.name, Organisation.name)
        .join(Organisation, Organisation.id == Product.org_id)
        .where((Product.status == "published") | Product.id.in_(list(marked) or [-1]))
        .order_by(Organisation.name, Product.name)
    )
    rows = session.execute(stmt, execution_options=ALL_TENANTS)
    return [Choice(pid, name, provider, marked.get(pid, False)) for pid, name, provider in rows]

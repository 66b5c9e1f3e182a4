"""Turn a rule-set document into a ``RuleSet``, reporting every problem with its path."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Any, cast

from loom.modules.subsidy.engine.document import Reader, describe, join
from loom.modules.subsidy.engine.errors import RuleSetError
from loom.modules.subsidy.engine.model import (
    SCHEMA_VERSION,
    Beneficiary,
    Condition,
    Designation,
    FactSpec,
    FactType,
    Framework,
    Funder,
    FunderPart,
    Operator,
    Rule,
    RuleKind,
    RuleSet,
    Source,
)


def _keys(names: str) -> frozenset[str]:
    """Return the keys an object of the document may have, from a space-separated list."""
    return frozenset(names.split())


_TOP = _keys(
    "schema id programme version published supersedes title source framework facts "
    "designations rules"
)
_SOURCE = _keys("doc_no title issuer issued section text_file notes")
_FRAMEWORK = _keys("clause text funders notes")
_NAMED = _keys("id name")
_FACT = _keys("id type description")
_RULE = _keys(
    "id title clause basis kind beneficiary share cap_fen per_beneficiary_cap_fen "
    "per_product_cap_fen per_provider_cap_fen funders split_verified eligibility verified notes"
)
_RULE_FUNDER = _keys("funder parts")
_OPERATORS: dict[str, FactType] = {
    "is": "boolean",
    "at_least": "integer",
    "includes": "designations",
}
_CONDITION = frozenset({"fact", "text", "source", "verified", *_OPERATORS})
_KINDS: tuple[RuleKind, ...] = ("share-of-investment", "one-off-award")
_FACT_TYPES: tuple[FactType, ...] = ("boolean", "integer", "designations")
_BENEFICIARIES: tuple[Beneficiary, ...] = ("enterprise", "contractor")
_SLUG = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_FACT_ID = re.compile(r"[a-z][a-z0-9_]*")
_FORMS = {_SLUG: "'pilot-project'", _FACT_ID: "'listed_as'"}
_SHARE = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?|[0-9]+/[0-9]+)")


def parse_ruleset(document: Mapping[str, Any]) -> RuleSet:
    """Build and check a ``RuleSet``; raise ``RuleSetError`` listing every problem found."""
    r = Reader()
    top = r.obj(document, "", _TOP)
    schema = r.integer(top, "schema", "", minimum=1)
    if "schema" in top and schema != SCHEMA_VERSION:
        r.fail("schema", f"this Loom reads subsidy rule-set schema {SCHEMA_VERSION}, not {schema}")
    programme = r.text(top, "programme", "")
    version = r.integer(top, "version", "", minimum=1)
    ruleset_id = r.text(top, "id", "")
    if programme and ruleset_id and ruleset_id != f"{programme}.v{version}":
        r.fail(
            "id", f"must be '{programme}.v{version}' (programme and version), not {ruleset_id!r}"
        )
    framework = _framework(r, top.get("framework"), "framework")
    facts = tuple(_fact(r, item, path) for path, item in r.items(top, "facts", ""))
    designations = tuple(
        Designation(r.text(o, "id", p), r.text(o, "name", p))
        for p, o in ((p, r.obj(item, p, _NAMED)) for p, item in r.items(top, "designations", ""))
    )
    _unique(r, "facts", [f.id for f in facts], _FACT_ID)
    _unique(r, "designations", [d.id for d in designations], _SLUG)
    context = _Context(
        ruleset_id,
        {f.id: f for f in framework.funders},
        {f.id: f for f in facts},
        {d.id for d in designations},
    )
    rules = tuple(_rule(r, item, path, context) for path, item in r.items(top, "rules", ""))
    _unique(r, "rules", [rule.id for rule in rules], _SLUG)
    ruleset = RuleSet(
        schema=schema,
        id=ruleset_id,
        programme=programme,
        version=version,
        published=r.date(top, "published", ""),
        supersedes=r.optional_text(top, "supersedes", ""),
        title=r.text(top, "title", ""),
        source=_source(r, top.get("source"), "source"),
        framework=framework,
        facts=facts,
        designations=designations,
        rules=rules,
    )
    if r.problems:
        raise RuleSetError(r.problems)
    return ruleset


class _Context:
    """What a rule may refer to: the rule set's funders, facts and designations."""

    def __init__(
        self,
        ruleset_id: str,
        funders: dict[str, Funder],
        facts: dict[str, FactSpec],
        designations: set[str],
    ) -> None:
        self.ruleset_id = ruleset_id
        self.funders = funders
        self.facts = facts
        self.designations = designations


def _unique(r: Reader, key: str, ids: Iterable[str], pattern: re.Pattern[str]) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        path = f"{key}[{index}].id"
        if item_id and not pattern.fullmatch(item_id):
            r.fail(path, f"{item_id!r} is not a valid id; expected the form {_FORMS[pattern]}")
        if item_id in seen:
            r.fail(path, f"{item_id!r} is used twice; ids must be unique")
        seen.add(item_id)


def _source(r: Reader, value: Any, path: str) -> Source:
    o = r.obj(value, path, _SOURCE)
    return Source(
        doc_no=r.text(o, "doc_no", path),
        title=r.text(o, "title", path),
        issuer=r.text(o, "issuer", path),
        issued=r.date(o, "issued", path),
        section=r.text(o, "section", path),
        text_file=r.text(o, "text_file", path),
        notes=r.texts(o, "notes", path),
    )


def _framework(r: Reader, value: Any, path: str) -> Framework:
    o = r.obj(value, path, _FRAMEWORK)
    funders = []
    for item_path, item in r.items(o, "funders", path):
        f = r.obj(item, item_path, _NAMED)
        funders.append(Funder(r.text(f, "id", item_path), r.text(f, "name", item_path)))
    _unique(r, join(path, "funders"), [f.id for f in funders], _SLUG)
    return Framework(
        clause=r.text(o, "clause", path),
        text=r.text(o, "text", path),
        funders=tuple(funders),
        notes=r.texts(o, "notes", path),
    )


def _fact(r: Reader, value: Any, path: str) -> FactSpec:
    o = r.obj(value, path, _FACT)
    fact_type = r.text(o, "type", path)
    if fact_type and fact_type not in _FACT_TYPES:
        r.fail(join(path, "type"), f"expected one of {list(_FACT_TYPES)}, got {fact_type!r}")
    return FactSpec(
        id=r.text(o, "id", path),
        type=cast(FactType, fact_type),
        description=r.text(o, "description", path),
    )


def _share(r: Reader, o: Mapping[str, Any], kind: str, path: str) -> tuple[Fraction | None, str]:
    value = o.get("share")
    where = join(path, "share")
    if o and "share" not in o:
        r.fail(where, 'missing; a share such as "0.5", or null for a one-off award')
        return None, ""
    if kind == "one-off-award":
        if value is not None:
            r.fail(where, "a one-off award is not a share of the investment; use null")
        return None, ""
    if not isinstance(value, str) or not _SHARE.fullmatch(value):
        # a JSON number would be a binary float: the share must stay exact, so it is text
        r.fail(where, f'expected a share as text such as "0.5" or "1/2", got {describe(value)}')
        return None, ""
    if value.count("/") and int(value.split("/")[1]) == 0:
        r.fail(where, f"{value!r} divides by zero")
        return None, ""
    share = Fraction(value)
    if not 0 < share <= 1:
        r.fail(where, f"must be more than 0 and at most 1 (100%), got {value!r}")
    return share, value


def _rule(r: Reader, value: Any, path: str, context: _Context) -> Rule:
    o = r.obj(value, path, _RULE)
    kind = r.text(o, "kind", path)
    if kind and kind not in _KINDS:
        r.fail(join(path, "kind"), f"expected one of {list(_KINDS)}, got {kind!r}")
    beneficiary = r.text(o, "beneficiary", path)
    if beneficiary and beneficiary not in _BENEFICIARIES:
        r.fail(
            join(path, "beneficiary"),
            f"expected one of {list(_BENEFICIARIES)}, got {beneficiary!r}",
        )
    share, share_text = _share(r, o, kind, path)
    cap = r.integer(o, "cap_fen", path, minimum=1)
    per_caps = {
        key: r.optional_integer(o, key, path, minimum=1)
        for key in ("per_beneficiary_cap_fen", "per_product_cap_fen", "per_provider_cap_fen")
    }
    for key, per_cap in per_caps.items():
        if per_cap is not None and per_cap < cap:
            r.fail(
                join(path, key),
                f"{per_cap} fen is below cap_fen {cap}, so cap_fen could never apply; "
                "is a digit missing?",
            )
    funders = _rule_funders(r, o, path, context)
    conditions = tuple(
        _condition(r, item, item_path, context)
        for item_path, item in r.items(o, "eligibility", path)
    )
    split_verified = r.flag(o, "split_verified", path)
    verified = r.flag(o, "verified", path)
    if verified and not (split_verified and all(c.verified for c in conditions)):
        r.fail(
            join(path, "verified"),
            "cannot be true while the split or a condition is unverified; "
            "a rule is verified only when every part of it is",
        )
    return Rule(
        ruleset_id=context.ruleset_id,
        id=r.text(o, "id", path),
        title=r.text(o, "title", path),
        clause=r.text(o, "clause", path),
        basis=r.optional_text(o, "basis", path),
        kind=cast(RuleKind, kind),
        beneficiary=cast(Beneficiary, beneficiary),
        share=share,
        share_text=share_text or None,
        cap_fen=cap,
        per_beneficiary_cap_fen=per_caps["per_beneficiary_cap_fen"],
        per_product_cap_fen=per_caps["per_product_cap_fen"],
        per_provider_cap_fen=per_caps["per_provider_cap_fen"],
        funders=funders,
        split_verified=split_verified,
        eligibility=conditions,
        verified=verified,
        notes=r.texts(o, "notes", path),
    )


def _rule_funders(
    r: Reader, o: Mapping[str, Any], path: str, context: _Context
) -> tuple[FunderPart, ...]:
    parts: list[FunderPart] = []
    for item_path, item in r.items(o, "funders", path):
        f = r.obj(item, item_path, _RULE_FUNDER)
        funder_id = r.text(f, "funder", item_path)
        count = r.integer(f, "parts", item_path, minimum=1)
        funder = context.funders.get(funder_id)
        if funder_id and funder is None:
            known = sorted(context.funders)
            r.fail(
                join(item_path, "funder"), f"unknown funder {funder_id!r}; framework has {known}"
            )
        elif funder is not None and any(p.funder.id == funder_id for p in parts):
            r.fail(join(item_path, "funder"), f"{funder_id!r} is listed twice")
        elif funder is not None:
            parts.append(FunderPart(funder, count))
    return tuple(parts)


def _condition(r: Reader, value: Any, path: str, context: _Context) -> Condition:
    o = r.obj(value, path, _CONDITION)
    fact_id = r.text(o, "fact", path)
    fact = context.facts.get(fact_id)
    if fact_id and fact is None:
        r.fail(
            join(path, "fact"), f"unknown fact {fact_id!r}; declared facts: {sorted(context.facts)}"
        )
    operators = [op for op in _OPERATORS if op in o]
    op = operators[0] if len(operators) == 1 else "is"
    operand = o.get(op)
    where = join(path, op)
    if len(operators) != 1:
        if o:
            r.fail(path, f"needs exactly one of {list(_OPERATORS)}, has {operators or 'none'}")
    elif fact is not None and _OPERATORS[op] != fact.type:
        r.fail(where, f"fact {fact_id!r} is of type {fact.type}; '{op}' tests {_OPERATORS[op]}")
    elif op == "is" and not isinstance(operand, bool):
        r.fail(where, f"expected true or false, got {describe(operand)}")
    elif op == "at_least" and (type(operand) is not int or operand < 0):
        r.fail(where, f"expected a whole number 0 or more, got {describe(operand)}")
    elif op == "includes" and (not isinstance(operand, str) or operand not in context.designations):
        known = sorted(context.designations)
        r.fail(where, f"expected a declared designation {known}, got {describe(operand)}")
    return Condition(
        fact=fact_id,
        fact_type=_OPERATORS[op],
        op=cast(Operator, op),
        value=operand if isinstance(operand, bool | int | str) else False,
        text=r.text(o, "text", path),
        source=r.text(o, "source", path),
        verified=r.flag(o, "verified", path),
    )

"""Versioned rule sets: the shipped ones, corrections published by the bureau, compiled caches."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loom.kernel.audit.service import record_scoped
from loom.kernel.errors import NotFound, ValidationFailed
from loom.kernel.tenancy.scope import Scope
from loom.modules.assessment.engine import (
    CompiledRules,
    builtin_versions,
    compile_rules,
    load_ruleset,
)
from loom.modules.assessment.engine.ruleset import builtin_ruleset_document
from loom.modules.assessment.models import RuleSetVersion, dump_document


def ensure_builtin(session: Session) -> None:
    """Insert the rule sets shipped with Loom that the database does not hold yet."""
    known = set(session.scalars(select(RuleSetVersion.code)))
    for code in builtin_versions():
        if code in known:
            continue
        document = builtin_ruleset_document(code)
        session.add(
            RuleSetVersion(
                code=document["id"],
                standard=document["standard"],
                version=int(document["version"]),
                title=document["title"],
                document_json=dump_document(document),
                builtin=True,
                note="shipped with Loom",
                published_by="system",
            )
        )
    session.flush()


def list_rulesets(session: Session) -> list[RuleSetVersion]:
    """Return every rule-set version, newest first."""
    ensure_builtin(session)
    stmt = select(RuleSetVersion).order_by(RuleSetVersion.standard, RuleSetVersion.version.desc())
    return list(session.scalars(stmt))


def get_ruleset(
    session: Session, code: str | None, standard: str = "2024-manufacturing"
) -> RuleSetVersion:
    """Return the version named ``code``, or the newest of ``standard`` when ``code`` is None."""
    ensure_builtin(session)
    if code:
        row = session.scalar(select(RuleSetVersion).where(RuleSetVersion.code == code))
    else:
        row = session.scalar(
            select(RuleSetVersion)
            .where(RuleSetVersion.standard == standard)
            .order_by(RuleSetVersion.version.desc())
        )
    if row is None:
        raise NotFound("rule set %(code)s not found", field="ruleset", params={"code": code})
    return row


@lru_cache(maxsize=32)
def _compiled(code: str, document_json: str) -> CompiledRules:
    return compile_rules(load_ruleset(json.loads(document_json, parse_float=Decimal)))


def compiled_rules(row: RuleSetVersion) -> CompiledRules:
    """Return the compiled rules of a stored version (published versions never change)."""
    return _compiled(row.code, row.document_json)


def publish_correction(
    session: Session, scope: Scope, base_code: str, document: dict[str, Any], note: str
) -> RuleSetVersion:
    """Publish a corrected rule set as the next version of its standard; old ones stay."""
    base = get_ruleset(session, base_code)
    if not note.strip():
        raise ValidationFailed("note: say what was corrected and on what authority", field="note")
    newest = (
        session.scalar(
            select(func.max(RuleSetVersion.version)).where(RuleSetVersion.standard == base.standard)
        )
        or 0
    )
    version = newest + 1
    candidate = dict(document)
    candidate.update(
        {
            "standard": base.standard,
            "version": version,
            "id": f"{base.standard}.v{version}",
            "supersedes": base.code,
        }
    )
    load_ruleset(candidate)  # raises RuleSetError (a 422 listing every problem) when invalid
    row = RuleSetVersion(
        code=candidate["id"],
        standard=base.standard,
        version=version,
        title=str(candidate.get("title", base.title)),
        document_json=dump_document(candidate),
        builtin=False,
        note=note.strip(),
        published_by=scope.actor.label,
    )
    session.add(row)
    session.flush()
    record_scoped(
        session,
        scope,
        "assessment.ruleset.published",
        "ruleset",
        row.code,
        after={"code": row.code, "supersedes": base.code, "note": row.note},
    )
    return row


def unverified_items(document: dict[str, Any]) -> list[dict[str, str]]:
    """Return every item of a rule-set document marked unverified, with its path and text."""
    found: list[dict[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if node.get("verified") is False:
                label = node.get("id") or node.get("name") or node.get("text") or path
                found.append({"path": path, "label": str(label)[:120]})
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")

    walk(document, "")
    return found

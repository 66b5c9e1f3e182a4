"""Walk every audit chain and report the first record that was edited or removed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from loom.kernel.audit.models import AuditEvent, AuditHead
from loom.kernel.audit.service import GENESIS, event_digest


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of a verification: events checked, and the first problem found, if any."""

    checked: int
    problem: str | None

    @property
    def ok(self) -> bool:
        """Return whether every chain is intact."""
        return self.problem is None


def verify_chains(session: Session) -> VerifyResult:
    """Recompute every chain in order; stop at the first inconsistency."""
    heads = {h.chain: h for h in session.scalars(select(AuditHead))}
    checked = 0
    seen_chains: set[int] = set()
    expected_seq = 0
    prev_hash = GENESIS
    current: int | None = None
    stmt = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)
    for event in session.scalars(stmt).yield_per(1000):
        if event.chain != current:
            if current is not None and (
                problem := _check_head(heads, current, expected_seq, prev_hash)
            ):
                return VerifyResult(checked, problem)
            current, expected_seq, prev_hash = event.chain, 0, GENESIS
            seen_chains.add(event.chain)
        expected_seq += 1
        where = f"audit record id={event.id} (chain {event.chain}, seq {event.seq})"
        if event.seq != expected_seq:
            return VerifyResult(
                checked, f"{where}: expected seq {expected_seq}; a record before it was deleted"
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(checked, f"{where}: link to the previous record is broken")
        if event_digest(event) != event.hash:
            return VerifyResult(checked, f"{where}: content does not match its hash (edited)")
        prev_hash = event.hash
        checked += 1
    if current is not None and (problem := _check_head(heads, current, expected_seq, prev_hash)):
        return VerifyResult(checked, problem)
    for chain, head in sorted(heads.items()):
        if chain not in seen_chains and head.seq > 0:
            return VerifyResult(checked, f"chain {chain}: all {head.seq} records are missing")
    return VerifyResult(checked, None)


def _check_head(heads: dict[int, AuditHead], chain: int, seq: int, last_hash: str) -> str | None:
    head = heads.get(chain)
    if head is None:
        return f"chain {chain}: head record is missing"
    if head.seq != seq or head.hash != last_hash:
        return (
            f"chain {chain}: ends at seq {seq} but its head says seq {head.seq}; "
            "the newest records were deleted or the head was edited"
        )
    return None

"""How maintenance is shown: labels of its codes (English msgids) and the Excel downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from loom.apps.equipment.models.maintenance import (
    InspectionRound,
    MaintenancePlan,
    WorkOrder,
)
from loom.modules.masterdata.models import Machine
from loom.modules.shopfloor.engine.events import LOCAL_TZ


def msgid(text: str) -> str:
    """Return ``text`` unchanged; the call marks an English msgid for the catalogue check."""
    return text


STATUS_LABELS = {
    "open": msgid("Not started"),
    "in_progress": msgid("Under way"),
    "closed": msgid("Closed"),
    "cancelled": msgid("Cancelled"),
}
KIND_LABELS = {
    "preventive": msgid("Preventive"),
    "breakdown": msgid("Breakdown repair"),
    "inspection": msgid("From inspection"),
}
PRIORITY_LABELS = {
    "low": msgid("Low priority"),
    "normal": msgid("Normal priority"),
    "high": msgid("High priority"),
    "urgent": msgid("Urgent"),
}
DUE_LABELS = {
    "overdue": msgid("Past due"),
    "due": msgid("Due soon"),
    "planned": msgid("Planned"),
}
FREQUENCY_LABELS = {"daily": msgid("Once a day"), "shift": msgid("Every shift")}
SHIFT_LABELS = {"": msgid("Day's round"), "day": msgid("Day shift"), "night": msgid("Night shift")}
#: machine types in English; Chinese pages show the shop floor's own names
MACHINE_LABELS = {
    "lockstitch": msgid("Lockstitch"),
    "overlock": msgid("Overlock"),
    "coverstitch": msgid("Coverstitch"),
    "bartack": msgid("Bartack"),
    "button": msgid("Button sewing"),
    "buttonhole": msgid("Buttonhole"),
    "manual": msgid("Manual work"),
    "pressing": msgid("Pressing"),
    "other": msgid("Other machine"),
}


def _book(title: str, heads: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(heads))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index in range(len(heads)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 18
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _code(machines: Mapping[int, Machine], machine_id: int | None) -> str:
    machine = machines.get(machine_id or 0)
    return machine.code if machine is not None else ""


def plans_workbook(
    rows: Sequence[MaintenancePlan], machines: Mapping[int, Machine], gettext: Callable[..., str]
) -> bytes:
    """Return the plans as an Excel sheet, headings in the page's language."""
    heads = [
        msgid("Plan code"),
        msgid("Plan name"),
        msgid("Machine"),
        msgid("Machine type"),
        msgid("Every (days)"),
        msgid("Every (running hours)"),
        msgid("First due on"),
        msgid("Checklist"),
        msgid("Active"),
    ]
    body = [
        [
            p.code,
            p.name,
            _code(machines, p.machine_id),
            gettext(MACHINE_LABELS[p.machine_type]) if p.machine_type in MACHINE_LABELS else "",
            p.interval_days,
            p.interval_hours,
            p.starts_on,
            "\n".join(p.checklist),
            gettext("Active") if p.active else gettext("inactive"),
        ]
        for p in rows
    ]
    return _book(gettext("Maintenance plans"), [gettext(h) for h in heads], body)


def orders_workbook(
    rows: Sequence[WorkOrder], machines: Mapping[int, Machine], gettext: Callable[..., str]
) -> bytes:
    """Return work orders as an Excel sheet, headings in the page's language."""
    heads = [
        msgid("Work order"),
        msgid("Kind"),
        msgid("Machine"),
        msgid("Fault"),
        msgid("Priority"),
        msgid("Assignee"),
        msgid("Status"),
        msgid("Due day"),
        msgid("Opened at"),
        msgid("Started at"),
        msgid("Closed at"),
        msgid("Downtime (minutes)"),
        msgid("Parts used"),
        msgid("Resolution"),
    ]

    def naive(moment: Any) -> Any:
        # Excel has no time zones: write the factory's local time
        return moment.astimezone(LOCAL_TZ).replace(tzinfo=None) if moment else None

    body = [
        [
            o.number,
            gettext(KIND_LABELS[o.kind]),
            _code(machines, o.machine_id),
            o.fault,
            gettext(PRIORITY_LABELS[o.priority]),
            o.assignee,
            gettext(STATUS_LABELS[o.status]),
            o.due_on,
            naive(o.opened_at),
            naive(o.started_at),
            naive(o.closed_at),
            o.downtime_minutes,
            "; ".join(f"{p['part']} × {p['qty']}" for p in o.parts),
            o.resolution,
        ]
        for o in rows
    ]
    return _book(gettext("Work orders"), [gettext(h) for h in heads], body)


def rounds_workbook(
    rows: Sequence[InspectionRound], machines: Mapping[int, Machine], gettext: Callable[..., str]
) -> bytes:
    """Return rounds as an Excel sheet, one line per checked item."""
    heads = [
        msgid("Day"),
        msgid("Shift"),
        msgid("Machine"),
        msgid("Inspected by"),
        msgid("Item"),
        msgid("Finding"),
        msgid("Note"),
    ]
    body = [
        [
            r.day,
            gettext(SHIFT_LABELS.get(r.shift, r.shift)),
            _code(machines, r.machine_id),
            r.inspector,
            result["item"],
            gettext("In order") if result["ok"] else gettext("Abnormal"),
            result["note"],
        ]
        for r in rows
        for result in r.results
    ]
    return _book(gettext("Spot inspections"), [gettext(h) for h in heads], body)

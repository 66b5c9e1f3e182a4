"""Local dates and times as people type them, and months as ``YYYY-MM``."""

from __future__ import annotations

from datetime import date, datetime

from loom.apps.energy.engine.readings import LOCAL_TZ

_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def parse_local_time(raw: object) -> datetime | None:
    """Return an aware time from "2026-03-01 08:00" (China time), a date (00:00), or None."""
    if isinstance(raw, datetime):
        return raw if raw.tzinfo else raw.replace(tzinfo=LOCAL_TZ)
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day, tzinfo=LOCAL_TZ)
    if not isinstance(raw, str):
        return None
    text = raw.strip().replace("/", "-")
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    day = parse_day(text)
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ) if day else None


def parse_day(raw: object) -> date | None:
    """Return a date from "2026-03-01" (or a spreadsheet date), or None."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw.strip().replace("/", "-"))
    except ValueError:
        return None


def parse_month(raw: str) -> date | None:
    """Return the first day of a month typed "2026-03" (or a full date), or None."""
    text = raw.strip().replace("/", "-")
    try:
        if len(text) == 7:
            return date.fromisoformat(f"{text}-01")
        return date.fromisoformat(text).replace(day=1)
    except ValueError:
        return None


def local_text(at: datetime) -> str:
    """Return a time as the factory reads it: "2026-03-01 08:00"."""
    return at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def local_today() -> date:
    """Return today's date in the factory's time zone."""
    return datetime.now(LOCAL_TZ).date()

"""``loom shopfloor …``: rebuild the derived figures from raw events."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Shop-floor execution: orders, scans and the figures they update.")

"""``loom energy …``: Energy management from the command line."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Energy management.", no_args_is_help=True)

"""``loom equipment …``: Equipment management and OEE from the command line."""

from __future__ import annotations

import typer

cli = typer.Typer(help="Equipment management and OEE.", no_args_is_help=True)

"""`loom programme …`: the programme console from the command line."""

from __future__ import annotations

import typer

cli = typer.Typer(help="The programme console: plan, targets, projects.", no_args_is_help=True)

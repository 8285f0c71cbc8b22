"""The CLI's shared parts: the Typer app every command module registers on, consoles, options,
and the helpers that turn bad input into a clear message and exit code 2."""

from __future__ import annotations

import sys
import warnings
from datetime import date
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from govbrief.briefs.registry import BRIEFS, BriefKind, brief_kind
from govbrief.calendar.periods import Period, PeriodError, PeriodKind, parse_period
from govbrief.config import ConfigError, Settings, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="govbrief: 旬简报/月通报/季总结 from county returns. 督查简报工作流。",
)
# Messages are never wrapped by us (soft wrap): a line stays whole in a log or a pipe, and a
# terminal wraps it itself. Tables still fit the terminal's width.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    str | None,
    typer.Option("--config", "-c", help="Configuration TOML (default: $GOVBRIEF_CONFIG or config/city.toml)."),
]
PeriodOption = Annotated[
    str | None,
    typer.Option("--period", "-p", help="2026-11-x2 | 2026-11 | 2026-Q4 | 2026-H2 | 2026 | 2026年11月中旬 …"),
]


def brief_kind_arg(text: str) -> BriefKind:
    """A brief kind as typed (ten-day, monthly, quarterly; ten_day too), or a usage error."""
    try:
        return brief_kind(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


BRIEF_KIND_NAMES = "|".join(brief.cli_name for brief in BRIEFS)
BriefKindArgument = Annotated[
    BriefKind, typer.Argument(parser=brief_kind_arg, metavar=BRIEF_KIND_NAMES, help="Which brief.")
]


def settings_or_exit(config: str | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        err.print(f"[red]配置有误 / invalid configuration[/red]: {exc.path}")
        for problem in exc.problems:
            err.print(f"  - {problem}")
        raise typer.Exit(2) from None


def today_in_city(settings: Settings) -> date:
    return settings.today()


def period_or_exit(text: str | None, kind: PeriodKind, settings: Settings) -> Period:
    if text is None:
        return Period.latest_closed(kind, today_in_city(settings))
    try:
        period = parse_period(text)
    except PeriodError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    if period.kind is not kind:
        err.print(f"[red]{text!r} is a {period.kind} period; this brief needs a {kind} period / 期次类型不符[/red]")
        raise typer.Exit(2)
    return period


def quiet_libraries() -> None:
    """Library deprecation chatter is for developers, not for a successful run."""
    if not sys.warnoptions:
        warnings.simplefilter("ignore")


def warn(text: str, label: str = "") -> None:
    """A yellow warning on stderr; the text is escaped, so "[calendar]" in it stays visible."""
    prefix = f"[yellow]{escape(label)}[/yellow] " if label else ""
    body = escape(text) if label else f"[yellow]{escape(text)}[/yellow]"
    err.print(f"{prefix}{body}", highlight=False)

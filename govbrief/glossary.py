"""The data contract's glossary (glossary.toml) as typed objects.

Every reader, validation message, template and error report looks headers and
column names up here, so the Chinese header of a column is written once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

ColumnType = Literal["text", "int", "number", "date"]

GLOSSARY_PATH = Path(__file__).with_name("glossary.toml")


@dataclass(frozen=True)
class Column:
    """One canonical column: its id, the Chinese header, its type and known spellings."""

    id: str
    header: str
    type: ColumnType
    required: bool = True
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """One sheet of a return (e.g. 事故明细 → accidents)."""

    id: str
    name_zh: str
    name_en: str
    columns: tuple[Column, ...]
    rows: Literal["one", "many"] = "many"
    optional: bool = False
    aliases: tuple[str, ...] = ()

    def column(self, column_id: str) -> Column:
        """The column with this id."""
        for col in self.columns:
            if col.id == column_id:
                return col
        raise KeyError(f"{self.id} has no column {column_id!r}")

    @property
    def column_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.columns)


@dataclass(frozen=True)
class ReturnKind:
    """One kind of return a county sends (e.g. 安全生产旬报表)."""

    id: str
    name_zh: str
    name_en: str
    cadence: str
    sheets: tuple[Sheet, ...] = field(default=())

    def sheet(self, sheet_id: str) -> Sheet:
        """The sheet with this id."""
        for sheet in self.sheets:
            if sheet.id == sheet_id:
                return sheet
        raise KeyError(f"{self.id} has no sheet {sheet_id!r}")


@dataclass(frozen=True)
class Glossary:
    """All return kinds and the allowed sector lists."""

    returns: dict[str, ReturnKind]
    sectors: dict[str, tuple[str, ...]]

    def sheet(self, sheet_id: str) -> Sheet:
        """Find a sheet by id across all return kinds (sheet ids are unique)."""
        for kind in self.returns.values():
            for sheet in kind.sheets:
                if sheet.id == sheet_id:
                    return sheet
        raise KeyError(f"no sheet {sheet_id!r} in the glossary")

    def header(self, sheet_id: str, column_id: str) -> str:
        """The Chinese header of a column, for messages and templates."""
        return self.sheet(sheet_id).column(column_id).header


def _column(raw: dict[str, object]) -> Column:
    aliases = raw.get("aliases", [])
    assert isinstance(aliases, list)
    return Column(
        id=str(raw["id"]),
        header=str(raw["header"]),
        type=raw["type"],  # type: ignore[arg-type]
        required=bool(raw.get("required", True)),
        aliases=tuple(str(a) for a in aliases),
    )


def _sheet(raw: dict[str, object]) -> Sheet:
    columns = raw["columns"]
    aliases = raw.get("aliases", [])
    assert isinstance(columns, list) and isinstance(aliases, list)
    return Sheet(
        id=str(raw["id"]),
        name_zh=str(raw["name_zh"]),
        name_en=str(raw["name_en"]),
        columns=tuple(_column(c) for c in columns),
        rows=raw.get("rows", "many"),  # type: ignore[arg-type]
        optional=bool(raw.get("optional", False)),
        aliases=tuple(str(a) for a in aliases),
    )


def parse_glossary(data: dict[str, object]) -> Glossary:
    """Build a Glossary from the parsed TOML document."""
    returns_raw = data["returns"]
    sectors_raw = data.get("sectors", {})
    assert isinstance(returns_raw, dict) and isinstance(sectors_raw, dict)
    returns = {
        kind_id: ReturnKind(
            id=kind_id,
            name_zh=raw["name_zh"],
            name_en=raw["name_en"],
            cadence=raw["cadence"],
            sheets=tuple(_sheet(s) for s in raw.get("sheets", [])),
        )
        for kind_id, raw in returns_raw.items()
    }
    sectors = {k: tuple(v) for k, v in sectors_raw.items()}
    return Glossary(returns=returns, sectors=sectors)


@cache
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """The glossary shipped with the package (cached: it never changes in a run)."""
    with path.open("rb") as f:
        return parse_glossary(tomllib.load(f))

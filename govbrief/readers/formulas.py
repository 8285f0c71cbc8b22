"""Formula cells of an .xlsx: where they are and whether Excel stored a computed value.

The reader uses the value Excel cached with each formula and never evaluates
one. A formula nobody calculated (files written by scripts) has no cached
value, which the clerk must fix. The scan costs one pass over the sheet XML
bytes; only sheets that contain a formula are parsed.
"""

from __future__ import annotations

import posixpath
import re
from xml.etree import ElementTree
from zipfile import ZipFile

# Cell position (0-based row, 0-based column) → True when a cached value is stored.
FormulaCells = dict[tuple[int, int], bool]

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEETS = "xl/worksheets/"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def cell_position(ref: str) -> tuple[int, int] | None:
    """ "C12" → (11, 2); None for anything else."""
    match = _CELL_REF.fullmatch(ref)
    if match is None:
        return None
    letters, digits = match.groups()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(digits) - 1, column - 1


def cell_ref(row: int, column: int) -> str:
    """(11, 2) → "C12", the address a clerk sees."""
    letters = ""
    column += 1
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return f"{letters}{row + 1}"


def _formula_cells(xml: bytes) -> FormulaCells:
    cells: FormulaCells = {}
    for element in ElementTree.fromstring(xml).iter():
        if _local(element.tag) != "c":
            continue
        children = {_local(child.tag): child for child in element}
        position = cell_position(element.get("r", ""))
        if "f" in children and position is not None:
            value = children.get("v")
            cells[position] = value is not None and bool((value.text or "").strip())
    return cells


def _part_names(archive: ZipFile) -> dict[str, str]:
    """Worksheet part path ("xl/worksheets/sheet1.xml") → the sheet's name."""
    targets = {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels")).iter()
        if _local(rel.tag) == "Relationship"
    }
    names: dict[str, str] = {}
    for sheet in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if _local(sheet.tag) == "sheet":
            target = targets.get(sheet.get(f"{{{_REL_NS}}}id", ""), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            names[part] = sheet.get("name", "")
    return names


def scan_formulas(archive: ZipFile) -> dict[str, FormulaCells]:
    """Sheet name → its formula cells; empty when the workbook has no formula (the usual case)."""
    parts = [name for name in archive.namelist() if name.startswith(WORKSHEETS) and name.endswith(".xml")]
    with_formulas = {part: xml for part in parts if _FORMULA_TAG.search(xml := archive.read(part))}
    if not with_formulas:
        return {}
    names = _part_names(archive)
    return {names[part]: _formula_cells(xml) for part, xml in with_formulas.items() if part in names}

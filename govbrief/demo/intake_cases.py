"""The demo's intake cases in the target 旬: a correction, and units named only by folder or content.

Applied after the clean returns are written, so every other unit stays on the
template's file name. Idempotent: running the demo again stages the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from govbrief.calendar.periods import Period
from govbrief.config import Settings
from govbrief.glossary import load_glossary

CORRECTED_UNIT = "439904"  # 南岭县 sends a return, then a corrected one a day later
FOLDER_NAMED_UNIT = "439906"  # 清溪县's file sits in a folder named 清溪, with a generic name
CONTENT_NAMED_UNIT = "439908"  # 安平县's file names no unit: only its 县市区 column does
CORRECTION_SUFFIX = "（更正）"
FIRST_VERSION_EXTRA_INSPECTIONS = 12  # the figure the clerk got wrong the first time
DAY = 86_400


@dataclass(frozen=True)
class IntakeCases:
    corrected: Path
    first_version: Path
    folder_named: Path
    content_named: Path


def stage_intake_cases(settings: Settings, period: Period) -> IntakeCases:
    """Rename and copy the target 旬's files of three units to show the intake's cases."""
    folder = settings.paths.drop / period.key
    name_zh = load_glossary().returns["safety"].name_zh
    clean = {
        code: folder / f"{settings.unit(code).name}{name_zh}.xlsx"
        for code in (CORRECTED_UNIT, FOLDER_NAMED_UNIT, CONTENT_NAMED_UNIT)
    }
    corrected = _rename(clean[CORRECTED_UNIT], f"{settings.unit(CORRECTED_UNIT).name}{name_zh}{CORRECTION_SUFFIX}.xlsx")
    first = _first_version(corrected, clean[CORRECTED_UNIT])
    folder_named = _rename(clean[FOLDER_NAMED_UNIT], f"{settings.unit(FOLDER_NAMED_UNIT).short_name}/{name_zh}.xlsx")
    content_named = _rename(clean[CONTENT_NAMED_UNIT], f"旬报表-{period.label_zh}.xlsx")
    return IntakeCases(corrected, first, folder_named, content_named)


def _rename(path: Path, new_name: str) -> Path:
    target = path.parent / new_name
    target.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        os.replace(path, target)  # keeps the mtime: the submission time
    return target


def _first_version(corrected: Path, first: Path) -> Path:
    """The return as first sent, a day before the correction, with one enforcement figure wrong."""
    book = load_workbook(corrected)
    sheet = book[load_glossary().sheet("enforcement").name_zh]
    cell = sheet.cell(row=3, column=2)
    cell.value = int(cell.value or 0) + FIRST_VERSION_EXTRA_INSPECTIONS
    book.save(first)
    stamp = corrected.stat().st_mtime - DAY
    os.utime(first, (stamp, stamp))
    return first

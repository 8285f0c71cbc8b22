"""Wiring: every configured unit, suite, template and flow step loads."""

from __future__ import annotations

import subprocess
import sys

from govbrief.config import load_settings
from govbrief.glossary import load_glossary
from govbrief.intake.sources import make_source
from govbrief.quality.suites import check_suite_specs, suite_paths
from govbrief.render.templates import template_environment

BRIEF_TEMPLATES = ("ten_day.html.j2", "ten_day.txt.j2")


def test_every_unit_has_a_working_source() -> None:
    settings = load_settings()
    for unit in settings.units:
        assert make_source(settings.source_for(unit), base=settings.source_file.parent).kind == "folder"


def test_every_sheet_of_the_glossary_has_a_sound_suite() -> None:
    sheets = {s.id for kind in load_glossary().returns.values() for s in kind.sheets}
    assert sheets <= set(suite_paths())
    assert check_suite_specs() == []


def test_every_brief_template_compiles_in_the_sandbox() -> None:
    environment = template_environment()
    for name in BRIEF_TEMPLATES:
        assert environment.get_template(name) is not None


def test_the_flow_imports_and_its_gather_task_retries() -> None:
    from flows.brief import ten_day_brief
    from tasks.gather import gather_returns

    assert ten_day_brief.name == "ten-day-brief"
    assert gather_returns.retries == 2


def test_the_cli_starts_without_heavy_imports() -> None:
    code = (
        "import sys, govbrief.cli.main; heavy = {'prefect', 'great_expectations', 'matplotlib'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"

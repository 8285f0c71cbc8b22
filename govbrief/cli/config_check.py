"""check-config: everything that can be wrong with a valid-looking configuration.

Pydantic already refused malformed values; this looks at what the values point
to: sources, targets, suites, templates, recipients, secrets, the calendar.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from govbrief.calendar.workdays import WorkCalendar
from govbrief.config import REPO_ROOT, Settings
from govbrief.glossary import load_glossary
from govbrief.intake.sources import make_source
from govbrief.targets.annual import targets_path

TEMPLATES = ("ten_day.html.j2", "ten_day.txt.j2")
KNOWN_BANDS = frozenset(
    {"hz_general_fix_rate", "hz_major_fix_rate", "death_quota_used", "scenic_peak_load", "debt_ratio"}
)


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)  # the configuration cannot work
    warnings: list[str] = field(default_factory=list)  # it works, but someone should look


def check_settings(settings: Settings, *, today: date) -> CheckReport:
    """Every problem and warning, all at once."""
    report = CheckReport()
    for check in (_sources, _targets, _suites, _templates, _mail, _recipients, _warehouse, _thresholds, _debt):
        check(settings, report)
    _calendar(settings, report, today)
    return report


def _sources(settings: Settings, report: CheckReport) -> None:
    for unit in settings.units:
        if unit.source is None:
            continue  # the city's drop folder, checked below
        root = make_source(unit.source, base=settings.source_file.parent).root
        if not root.is_dir():
            report.warnings.append(
                f"units.{unit.code} ({unit.name}): folder does not exist yet / 文件夹尚不存在: {root}"
            )
    if not settings.paths.drop.exists():
        report.warnings.append(f"drop folder does not exist yet / 报表接收文件夹尚不存在: {settings.paths.drop}")


def _targets(settings: Settings, report: CheckReport) -> None:
    import pandas as pd

    year = settings.today().year
    path = targets_path(settings, year)
    if not path.exists():
        report.warnings.append(f"no targets for {year} / 缺少{year}年目标表: {path}")
        return
    codes = set(pd.read_csv(path, dtype=str).iloc[:, 0])
    missing = [u.name for u in settings.units if u.code not in codes]
    if missing:
        report.problems.append(f"{path.name}: units without targets / 目标表缺少单位: {'、'.join(missing)}")


def _suites(settings: Settings, report: CheckReport) -> None:
    from govbrief.quality.suites import check_suite_specs, suite_paths

    report.problems.extend(check_suite_specs())
    paths = suite_paths()
    for kind in load_glossary().returns.values():
        for sheet in kind.sheets:
            if sheet.id not in paths or not paths[sheet.id].exists():
                report.problems.append(f"no expectation suite for sheet {sheet.id} ({sheet.name_zh}) / 缺少校验规则")


def _templates(settings: Settings, report: CheckReport) -> None:
    folder = REPO_ROOT / "reports_templates"
    for name in TEMPLATES:
        if not (folder / name).exists():
            report.problems.append(f"template missing / 缺少模板: {folder / name}")


def _mail(settings: Settings, report: CheckReport) -> None:
    smtp = settings.mail.smtp
    if settings.mail.transport != "smtp":
        return
    for env in (smtp.username_env, smtp.password_env):
        if env and env not in os.environ:
            report.warnings.append(f"mail.smtp: environment variable {env} is not set / 未设置环境变量 {env}")


def _recipients(settings: Settings, report: CheckReport) -> None:
    for recipient in settings.recipients:
        if "@" not in recipient.email:
            report.problems.append(f"recipient {recipient.name}: not an email address / 邮箱无效: {recipient.email}")
    if not any("leader" in r.roles for r in settings.recipients_for("ten_day")):
        report.warnings.append("no leader receives the 旬简报 / 旬简报没有领导收件人")


def _warehouse(settings: Settings, report: CheckReport) -> None:
    try:
        make_url(settings.warehouse_url)
    except ArgumentError as exc:
        report.problems.append(f"warehouse.url: {exc}")


def _thresholds(settings: Settings, report: CheckReport) -> None:
    for name in settings.thresholds.bands:
        if name not in KNOWN_BANDS:
            report.warnings.append(f"thresholds.bands.{name}: no indicator uses it / 未使用的阈值")


def _calendar(settings: Settings, report: CheckReport, today: date) -> None:
    calendar = WorkCalendar.from_settings(settings)
    for year in (today.year, today.year + 1):
        if warning := calendar.coverage_warning(year):
            report.warnings.append(warning)


def _debt(settings: Settings, report: CheckReport) -> None:
    columns = load_glossary().sheet("debt").column_ids
    report.problems.extend(f"debt.channels: {m}" for m in settings.debt.glossary_mismatches(columns))

"""The city's configuration: one TOML file → frozen pydantic models.

Secrets never live in the file: SMTP credentials are named by environment
variable, and a warehouse URL with a password comes from GOVBRIEF_WAREHOUSE_URL.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from govbrief.clock import SYSTEM_CLOCK, Clock, now_in, today_in

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO_ROOT / "config" / "city.toml"
UNIT_SUFFIXES = ("自治县", "县", "区", "市")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CityInfo(Frozen):
    name: str
    code: str
    office: str
    office_en: str = ""
    timezone: str = "Asia/Shanghai"


class Paths(Frozen):
    state: Path
    drop: Path
    targets: Path


class SmtpSettings(Frozen):
    host: str = "localhost"
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username_env: str | None = None
    password_env: str | None = None
    timeout_seconds: float = Field(default=30, gt=0)

    def credentials(self) -> tuple[str, str] | None:
        """(user, password) from the environment, or None when no login is configured."""
        user = os.environ.get(self.username_env or "", "")
        password = os.environ.get(self.password_env or "", "")
        return (user, password) if user else None


class MailSettings(Frozen):
    transport: Literal["outbox", "smtp"] = "outbox"
    sender: str
    outbox: Path
    smtp: SmtpSettings = SmtpSettings()


class SourceSpec(Frozen):
    """Where a unit's returns come from: a folder (a share, or where a mail gateway saves
    attachments). Only kinds with an adapter in govbrief.intake.sources are accepted, so a
    configured source always works; another kind is refused here, naming the unit."""

    kind: Literal["folder"] = "folder"
    path: str
    pattern: str = "{period_key}/*{unit_name}*{return_zh}*"


class Clerk(Frozen):
    name: str
    email: str
    phone: str = ""

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if "@" not in value:
            raise ValueError(f"not an email address / 不是邮箱地址: {value!r}")
        return value


class Unit(Frozen):
    """A county-level unit (县市区) that sends returns."""

    code: str = Field(pattern=r"^\d{6}$")
    name: str
    clerk: Clerk
    source: SourceSpec | None = None

    @property
    def short_name(self) -> str:
        """The name without its 县/区/市 suffix (东湖县 → 东湖), as clerks often write it."""
        for suffix in UNIT_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) > len(suffix) + 1:
                return self.name[: -len(suffix)]
        return self.name


Role = Literal["leader", "analyst", "ops", "clerk"]
BriefKind = Literal["ten_day", "monthly", "quarterly"]


class Recipient(Frozen):
    name: str
    email: str
    roles: tuple[Role, ...] = ("leader",)
    briefs: tuple[BriefKind, ...] = ("ten_day", "monthly", "quarterly")


class Band(Frozen):
    """Alert bounds for one indicator. "up": higher is better (alert below a bound);
    "down": lower is better (alert at or above a bound)."""

    direction: Literal["up", "down"]
    yellow: float | None = None
    orange: float | None = None
    red: float | None = None


class Thresholds(Frozen):
    lag_tolerance_pp: float = 5.0
    bands: dict[str, Band] = {}


EscalationTrigger = Literal["", "quarter_end", "half_end"]


class EscalationLevel(Frozen):
    """One rung of the ladder: reached after `min_streak` lagging month-ends, or by lagging
    at all at the month-end named by `or_at` (a quarter's or a half-year's last month).
    `action_zh` is what the rung asks for, said of the unit's leaders ("由分管市领导约谈…")."""

    name_zh: str
    min_streak: int = Field(ge=1)
    or_at: EscalationTrigger = ""
    action_zh: str = ""


class Escalation(Frozen):
    """The escalation ladder (督办等级), mildest rung first; defaults: docs/domain.md §4.7."""

    levels: tuple[EscalationLevel, ...] = (
        EscalationLevel(name_zh="书面说明", min_streak=1, action_zh="向市政府书面说明滞后原因和整改措施"),
        EscalationLevel(
            name_zh="分管市领导约谈",
            min_streak=3,
            or_at="quarter_end",
            action_zh="由分管市领导约谈县市区政府主要负责同志",
        ),
        EscalationLevel(
            name_zh="常务副市长约谈",
            min_streak=6,
            or_at="half_end",
            action_zh="由常务副市长约谈县市区政府主要负责同志",
        ),
    )
    # A rung is lifted only after this many consecutive month-ends at or above 序时进度.
    reset_after: int = Field(default=1, ge=1, le=12)

    @field_validator("levels")
    @classmethod
    def _mildest_first(cls, levels: tuple[EscalationLevel, ...]) -> tuple[EscalationLevel, ...]:
        streaks = [level.min_streak for level in levels]
        if not levels or streaks != sorted(streaks):
            raise ValueError("escalation levels must be listed mildest first / 督办等级须由轻到重排列")
        return levels


class CalendarOverride(Frozen):
    date: date
    workday: bool
    note: str = ""


class CalendarSettings(Frozen):
    overrides: tuple[CalendarOverride, ...] = ()


class Deadlines(Frozen):
    ten_day_working_days: int = Field(default=2, ge=0, le=20)
    # Debt and key-task returns (docs/domain.md §3.3-3.4); None: not configured (status refuses month returns).
    month_working_days: int | None = Field(default=None, ge=0, le=20)


class DebtChannel(Frozen):
    """One "六个一批" resolution channel: its id (the return's column is resolved_<id>) and Chinese name."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str

    @property
    def column_id(self) -> str:
        return f"resolved_{self.id}"


class DebtSettings(Frozen):
    """The hidden-debt resolution plan (化债方案): its years, channels, and each unit's stock at its start."""

    plan_start_year: int = Field(default=2022, ge=2000)
    plan_end_year: int = Field(default=2028, ge=2000)
    channels: tuple[DebtChannel, ...] = ()
    # unit code → hidden debt stock (亿元) when the plan began, for 方案期累计化解率.
    plan_opening_stock: dict[str, float] = {}

    @model_validator(mode="after")
    def _consistent(self) -> DebtSettings:
        if self.plan_end_year < self.plan_start_year:
            raise ValueError("debt plan ends before it starts / 化债方案结束年份早于开始年份")
        ids = [c.id for c in self.channels]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate debt channel ids / 化债渠道重复")
        if any(stock < 0 for stock in self.plan_opening_stock.values()):
            raise ValueError("a plan opening stock is negative / 方案期初存量不能为负")
        return self

    def glossary_mismatches(self, resolved_column_ids: Iterable[str]) -> list[str]:
        """How the configured channels and the debt sheet's resolved_* columns disagree; [] when they match."""
        configured = {c.column_id: c.name for c in self.channels}
        in_glossary = {cid for cid in resolved_column_ids if cid.startswith("resolved_")}
        issues = [
            f"debt channel {name} ({cid}) has no column in the glossary / 化债渠道“{name}”在数据字典中没有对应列"
            for cid, name in configured.items()
            if cid not in in_glossary
        ]
        issues.extend(
            f"glossary column {cid} is no configured debt channel / 数据字典列 {cid} 不是已配置的化债渠道"
            for cid in sorted(in_glossary - configured.keys())
        )
        return issues


class RunSettings(Frozen):
    # Units per gather task. 1 keeps one task (with its own retries) per unit;
    # a province or the whole country batches them (Prefect costs ~16 ms a task).
    gather_batch: int = Field(default=1, ge=1)
    # A second run of the same brief and period waits this long for the first, then refuses.
    lock_wait_seconds: float = Field(default=60.0, ge=0)
    # A run renews its lock every third of this; one that stops (killed on another host) loses it after.
    lock_lease_seconds: float = Field(default=300.0, ge=1)


class ScheduleSettings(Frozen):
    """When the briefs go out (working days after the period closes, city time) and how often
    the inbox and the immediate alerts are checked. Deployments are generated from this."""

    time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # HH:MM, city time zone
    ten_day_working_days: int = Field(default=3, ge=1, le=20)  # 旬简报: Nth working day after the 旬
    month_working_days: int = Field(default=5, ge=1, le=20)  # 月通报: Nth working day of the next month
    quarter_working_days: int = Field(default=10, ge=1, le=30)  # 季总结: Nth working day after the quarter
    inbox_poll_minutes: int = Field(default=5, ge=1, le=1440)
    alert_check_minutes: int = Field(default=15, ge=1, le=1440)


class InboxSettings(Frozen):
    """What the inbox poll does when a return arrives for a period whose brief already went out:
    "auto" reruns the brief (a 更正 version when figures changed), "manual" marks it for an analyst."""

    correction_rerun: Literal["auto", "manual"] = "manual"


class AlertSettings(Frozen):
    """Which red events are 【紧急】: those in the newest `recent_periods` periods of their return
    kind that the warehouse holds (1 = the newest only). Older events — a first run over a year of
    backlog, a backfill, a late correction of an old return — are not news: the briefs carry them."""

    recent_periods: int = Field(default=2, ge=1)


class Contact(Frozen):
    """Whom a reader of a brief calls about it (the 联系人 line)."""

    name: str = ""
    phone: str = ""


class Season(Frozen):
    """A time of the year with risks of its own, from `start` to `end` (MM-DD, may wrap the year),
    and what the brief asks for while it runs. `sectors` are the 行业领域 it concerns: when one of
    them is up on last year, the season is said first."""

    name: str
    start: str = Field(pattern=r"^\d{2}-\d{2}$")
    end: str = Field(pattern=r"^\d{2}-\d{2}$")
    measure: str
    sectors: tuple[str, ...] = ()

    def covers(self, day: date) -> bool:
        """Whether `day` falls inside the season (a season may run across the new year)."""
        today = f"{day.month:02d}-{day.day:02d}"
        if self.start <= self.end:
            return self.start <= today <= self.end
        return today >= self.start or today <= self.end


DEFAULT_SEASONS = (
    Season(
        name="冬季",
        start="11-01",
        end="02-28",
        measure="加强“九小”场所、出租屋、养老机构等用火用电用气安全检查，严防“小火亡人”；开展冬季道路交通安全整治，"
        "严查货车超载超速和电动自行车违法行为，做好雨雪冰冻天气应急管控",
        sectors=("火灾", "道路交通"),
    ),
    Season(
        name="冬春森林防火期",
        start="10-01",
        end="04-30",
        measure="严格森林防火期野外用火管理，落实林区巡护和火源管控",
        sectors=("森林火灾",),
    ),
    Season(
        name="元旦春节",
        start="12-15",
        end="02-20",
        measure="对烟花爆竹生产、储存、运输、经营、燃放实行全链条监管，严厉打击非法生产经营；节日期间重点景区实行"
        "预约、限量、错峰，在园人数达到核定承载量80%时立即停止售票",
        sectors=("烟花爆竹", "景区景点"),
    ),
    Season(
        name="汛期",
        start="05-01",
        end="09-30",
        measure="做好汛期地质灾害、城市内涝和在建工地安全防范，落实极端天气停工停业停课等刚性措施",
        sectors=("建筑施工",),
    ),
    Season(
        name="夏季高温期",
        start="06-15",
        end="08-31",
        measure="加强危险化学品、粉尘涉爆企业高温期间安全管控",
        sectors=("危险化学品", "工矿商贸"),
    ),
)


class DocumentSettings(Frozen):
    """The 公文 form of the briefs: who issues them, to whom they go (版记), whom to call, the speech's
    campaigns a brief names, and the seasons its 下步工作 follows."""

    issuer: str = ""  # the issuing office in the 版头 and 落款; "" → [city] office
    report_to: str = "市委、市政府主要领导，市政府各位副市长"  # 报
    copy_to: str = "市安委会各成员单位，市财政局"  # 送; "" for none
    issue_to: str = "各县市区人民政府"  # 发
    contact: Contact = Contact()
    safety_campaign: str = "安全生产十五条硬措施"
    development_campaign: str = ""  # e.g. 发展“六仗”: named with the key tasks when set
    mostly_missing_share: float = Field(default=0.5, gt=0, le=1)  # this share of returns missing: say so at the top
    seasons: tuple[Season, ...] = DEFAULT_SEASONS


class RankingSettings(Frozen):
    """The 月通报's composite ranking: a weight per dimension (safety, debt, risk, key_tasks), summing
    to 1. Without weights the brief ranks each dimension on its own and says so."""

    weights: dict[Literal["safety", "debt", "risk", "key_tasks"], float] = {}

    @field_validator("weights")
    @classmethod
    def _sum_to_one(cls, weights: dict[str, float]) -> dict[str, float]:
        if weights and (any(w <= 0 for w in weights.values()) or abs(sum(weights.values()) - 1) > 1e-9):
            raise ValueError("ranking weights must be positive and sum to 1 / 排名权重须为正数且合计为1")
        return weights


class Settings(Frozen):
    """Everything govbrief knows about the city, resolved and validated."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)  # the clock

    source_file: Path
    city: CityInfo
    paths: Paths
    warehouse_url: str
    mail: MailSettings
    default_source: SourceSpec
    deadlines: Deadlines = Deadlines()
    calendar: CalendarSettings = CalendarSettings()
    thresholds: Thresholds = Thresholds()
    escalation: Escalation = Escalation()
    run: RunSettings = RunSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    inbox: InboxSettings = InboxSettings()
    alerts: AlertSettings = AlertSettings()
    debt: DebtSettings = DebtSettings()
    document: DocumentSettings = DocumentSettings()
    ranking: RankingSettings = RankingSettings()
    units: tuple[Unit, ...]
    recipients: tuple[Recipient, ...] = ()
    # What time it is for this run: the system's, or a test's fixed one (`with_clock`). Not in the file.
    clock: Clock = Field(default=SYSTEM_CLOCK, exclude=True)

    @model_validator(mode="after")
    def _unique_units(self) -> Settings:
        for attr in ("code", "name"):
            values = [getattr(u, attr) for u in self.units]
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"duplicate unit {attr}s / 单位{attr}重复: {', '.join(dupes)}")
        return self

    def unit(self, code: str) -> Unit:
        """The unit with this code."""
        for unit in self.units:
            if unit.code == code:
                return unit
        raise KeyError(code)

    def source_for(self, unit: Unit) -> SourceSpec:
        """A unit's own source, or the city's default."""
        return unit.source or self.default_source

    def recipients_for(self, kind: BriefKind) -> tuple[Recipient, ...]:
        """Who receives a brief of this kind."""
        return tuple(r for r in self.recipients if kind in r.briefs)

    def today(self) -> date:
        """Today in the city's time zone, on this run's clock (periods and deadlines follow it)."""
        return today_in(self.clock, self.city.timezone)

    def now(self) -> datetime:
        """Now in the city's time zone, on this run's clock."""
        return now_in(self.clock, self.city.timezone)

    def with_clock(self, clock: Clock) -> Settings:
        """The same settings on another clock (tests stop time with a FixedClock)."""
        return self.model_copy(update={"clock": clock})

    @property
    def issuer(self) -> str:
        """The office that issues the briefs (版头, 落款, 版记)."""
        return self.document.issuer or self.city.office

    @property
    def state_dir(self) -> Path:
        return self.paths.state

    @property
    def archive_dir(self) -> Path:
        return self.paths.state / "archive"

    @property
    def briefs_dir(self) -> Path:
        return self.paths.state / "briefs"


class ConfigError(Exception):
    """The configuration file is missing or invalid; `problems` names each one."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def config_path(explicit: str | Path | None = None) -> Path:
    """The config file to use: explicit, then $GOVBRIEF_CONFIG, then the shipped demo city."""
    chosen = explicit or os.environ.get("GOVBRIEF_CONFIG") or DEFAULT_CONFIG
    return Path(chosen).expanduser().resolve()


def load_settings(path: str | Path | None = None) -> Settings:
    """Read, resolve and validate the configuration; raise ConfigError naming every problem."""
    source = config_path(path)
    try:
        with source.open("rb") as f:
            raw = tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(source, ["file not found / 配置文件不存在"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"not valid TOML / TOML 格式错误: {exc}"]) from None
    try:
        return Settings.model_validate(_resolve(raw, source))
    except ValidationError as exc:
        raise ConfigError(source, [_describe(e) for e in exc.errors()]) from None


def _resolve(raw: dict[str, object], source: Path) -> dict[str, object]:
    """Apply environment overrides and turn relative paths into absolute ones."""
    base = source.parent
    paths = dict(raw.get("paths", {}) or {})  # type: ignore[call-overload]
    state = _abs(os.environ.get("GOVBRIEF_STATE_DIR") or paths.get("state", "state"), base)
    drop_default = str(paths.get("drop", "{state}/drop")).format(state=state)
    drop = _abs(os.environ.get("GOVBRIEF_DROP_DIR") or drop_default, base)
    targets = _abs(paths.get("targets", "targets"), base)
    fill = {"state": str(state), "drop": str(drop)}
    warehouse = dict(raw.get("warehouse", {}) or {})  # type: ignore[call-overload]
    url = os.environ.get("GOVBRIEF_WAREHOUSE_URL") or warehouse.get("url", "sqlite:///{state}/govbrief.db")
    mail = dict(raw.get("mail", {}) or {})  # type: ignore[call-overload]
    mail["outbox"] = str(_abs(str(mail.get("outbox", "{state}/outbox")).format(**fill), base))
    if transport := os.environ.get("GOVBRIEF_MAIL_TRANSPORT"):
        mail["transport"] = transport
    default_source = dict(raw.get("default_source", {"path": "{drop}"}) or {})  # type: ignore[call-overload]
    if isinstance(default_source.get("path"), str):
        default_source["path"] = default_source["path"].format(**fill)
    resolved = {k: v for k, v in raw.items() if k not in ("paths", "warehouse")}
    resolved.update(
        source_file=source,
        paths={"state": state, "drop": drop, "targets": targets},
        warehouse_url=str(url).format(**fill),
        mail=mail,
        default_source=default_source,
    )
    return resolved


def _abs(value: str | Path, base: Path) -> Path:
    path = Path(str(value)).expanduser()
    return (path if path.is_absolute() else base / path).resolve()


def _describe(error: object) -> str:
    err = error if isinstance(error, dict) else {}
    where = ".".join(str(p) for p in err.get("loc", ())) or "(top level)"
    return f"{where}: {err.get('msg', error)}"

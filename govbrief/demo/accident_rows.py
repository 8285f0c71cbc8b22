"""Demo accidents: plausible 一般 accidents for a unit's 旬, and the year's one 较大 accident.

Figures stay inside the 一般 band (≤2 deaths, ≤3 serious injuries, loss far
below 1000万元, burned forest below 1 公顷), so the only 较大 accident in the
demo is the one placed on purpose. The stated grade is computed with the same
rules validation uses; some clerks leave it blank (the column is optional).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from govbrief.calendar.periods import Period
from govbrief.demo.randomness import pick, weighted
from govbrief.metrics.grading import grade_for_sector

FOREST_FIRE, FIRE, ROAD = "森林火灾", "火灾", "道路交通"
BLANK_GRADE_SHARE = 0.25
INJURY_WEIGHTS = {0: 40, 1: 30, 2: 20, 3: 10}
TOWNS = ("城东街道", "城南镇", "新桥镇", "白沙乡", "石门镇", "柳塘乡", "河口镇", "青石街道")
ROADS = ("G207国道K1123+500处", "S203线K12+300处", "县道X015线城东路口", "乡道Y021线王家湾路段")
VEHICLES = ("小型轿车", "重型半挂牵引车", "电动自行车", "农用三轮车", "中型货车", "二轮摩托车")
SLOTS: dict[str, tuple[str, ...]] = {
    "town": TOWNS,
    "road": ROADS,
    "vehicle": VEHICLES,
    "other": VEHICLES,
    "site": ("住宅楼", "道路改造", "安置房", "标准厂房"),
    "building_harm": ("高处坠落", "物体打击", "基坑坍塌", "起重伤害"),
    "company": ("机械加工厂", "建材公司", "食品加工厂", "仓储物流公司"),
    "work_harm": ("机械伤害", "触电", "厂内车辆伤害", "有限空间中毒窒息"),
    "premises": ("居民自建房", "沿街商铺", "小型仓库", "出租屋"),
    "cause": ("林区违规用火", "祭祀用火", "农事用火", "雷击"),
    "chemical": ("储罐泄漏引发闪燃", "装卸作业中发生泄漏", "反应釜超压泄放"),
    "scenic_harm": ("在游步道跌落", "乘坐游乐设施时受伤", "在水域游玩时溺水"),
    "misc": ("农机事故", "溺水事故", "自建房局部坍塌"),
}


@dataclass(frozen=True)
class SectorProfile:
    """How often a sector's accidents happen, how costly they are, and how they are told."""

    weight: float
    loss_wan: tuple[float, float]
    # Weights of 0, 1 or 2 deaths: about 0.2 deaths per accident, so a county's
    # year lands near its 死亡控制指标 (4-10 people) rather than far beyond it.
    death_weights: tuple[float, float, float]
    story: str


STORIES = {
    ROAD: "{when}，{road}一辆{vehicle}与一辆{other}发生碰撞，{toll}。",
    "工矿商贸": "{when}，{town}某{company}发生{work_harm}事故，{toll}。",
    "建筑施工": "{when}，{town}某{site}工地发生{building_harm}事故，{toll}。",
    FIRE: "{when}，{town}一处{premises}发生火灾，过火面积约{m2}平方米，{toll}。",
    "其他": "{when}，{town}发生一起{misc}，{toll}。",
    FOREST_FIRE: "{when}，{town}山林发生森林火灾，受害森林面积{ha}公顷，起火原因为{cause}，{toll}。",
    "危险化学品": "{when}，{town}某化工企业{chemical}，{toll}。",
    "烟花爆竹": "{when}，{town}一处非法储存烟花爆竹点发生爆炸，{toll}。",
    "景区景点": "{when}，{town}景区一名游客{scenic_harm}，{toll}。",
}
# sector: (how often, loss range in 万元, weights of 0/1/2 deaths)
_PROFILE_TABLE: dict[str, tuple[float, tuple[float, float], tuple[float, float, float]]] = {
    ROAD: (45, (0.5, 60), (76, 20, 4)),
    "工矿商贸": (12, (1, 120), (80, 17, 3)),
    "建筑施工": (10, (1, 80), (78, 19, 3)),
    FIRE: (10, (0.3, 40), (90, 9, 1)),
    "其他": (8, (0.2, 30), (85, 13, 2)),
    FOREST_FIRE: (5, (0.5, 20), (97, 3, 0)),
    "危险化学品": (4, (2, 150), (85, 12, 3)),
    "烟花爆竹": (3, (0.5, 30), (80, 17, 3)),
    "景区景点": (3, (0.2, 10), (92, 7, 1)),
}
PROFILES = {sector: SectorProfile(*row, story=STORIES[sector]) for sector, row in _PROFILE_TABLE.items()}


@dataclass(frozen=True)
class Accident:
    """One row of 事故明细, field names = glossary column ids, values as written in the cells."""

    county: str
    accident_id: str
    occurred_on: date
    sector: str
    deaths: int
    serious_injuries: int
    direct_loss_wan: float
    forest_burned_ha: float | None
    burned_area_m2: float | None
    grade: str | None
    summary: str


@dataclass(frozen=True)
class Figures:
    """An accident's sector and toll, before it is dated, graded and told."""

    sector: str
    deaths: int
    serious_injuries: int
    direct_loss_wan: float
    forest_burned_ha: float | None = None
    burned_area_m2: float | None = None


def _toll(figures: Figures) -> str:
    deaths, injured = figures.deaths, figures.serious_injuries
    people = "、".join(part for part in (deaths and f"{deaths}人死亡", injured and f"{injured}人重伤") if part)
    toll = f"造成{people}" if people else "未造成人员伤亡"
    return f"{toll}，直接经济损失{figures.direct_loss_wan:.2f}万元"


def _story(rng: random.Random, figures: Figures, when: date, story: str) -> str:
    slots = {name: pick(rng, options) for name, options in SLOTS.items()}
    return story.format(
        when=f"{when.month}月{when.day}日{rng.randint(0, 23)}时许",
        toll=_toll(figures),
        ha=figures.forest_burned_ha,
        m2=figures.burned_area_m2,
        **slots,
    )


def make_accident(
    rng: random.Random, county: str, period: Period, accident_id: str, figures: Figures, *, stated: bool
) -> Accident:
    """Date the figures inside the 旬, grade them and tell the story; `stated` writes the grade."""
    when = period.start + timedelta(days=rng.randrange(period.days))
    grade = grade_for_sector(
        figures.sector,
        figures.deaths,
        figures.serious_injuries,
        figures.direct_loss_wan,
        figures.forest_burned_ha or 0.0,
    )
    story = PROFILES[figures.sector].story
    return Accident(
        county=county,
        accident_id=accident_id,
        occurred_on=when,
        sector=figures.sector,
        deaths=figures.deaths,
        serious_injuries=figures.serious_injuries,
        direct_loss_wan=figures.direct_loss_wan,
        forest_burned_ha=figures.forest_burned_ha,
        burned_area_m2=figures.burned_area_m2,
        grade=grade if stated else None,
        summary=_story(rng, figures, when, story),
    )


def ordinary_figures(rng: random.Random, sector: str | None = None) -> Figures:
    """The toll of a 一般 accident, in a sector drawn by how often each sector has accidents."""
    chosen = sector or weighted(rng, {name: p.weight for name, p in PROFILES.items()})
    profile = PROFILES[chosen]
    return Figures(
        sector=chosen,
        deaths=weighted(rng, dict(enumerate(profile.death_weights))),
        serious_injuries=weighted(rng, INJURY_WEIGHTS),
        direct_loss_wan=round(rng.uniform(*profile.loss_wan), 2),
        forest_burned_ha=round(rng.uniform(0.05, 0.95), 2) if chosen == FOREST_FIRE else None,
        burned_area_m2=round(rng.uniform(10, 600), 1) if chosen == FIRE else None,
    )


def major_figures(rng: random.Random) -> Figures:
    """The year's 较大 road accident: 3 deaths (the 较大 band starts at 3)."""
    return Figures(ROAD, 3, rng.randint(2, 6), round(rng.uniform(150, 450), 2))


def ordinary_accident(rng: random.Random, county: str, period: Period, accident_id: str) -> Accident:
    """A plausible 一般 accident; a quarter of them leave the optional grade blank."""
    figures = ordinary_figures(rng)
    return make_accident(rng, county, period, accident_id, figures, stated=rng.random() >= BLANK_GRADE_SHARE)

"""Service-level indicators (サービス要求水準): targets, incidents and improvement plans. No Qt.

The default targets are :data:`SLA_DEFAULTS`; a site overrides any of them in
``<data dir>/sla.toml``::

    [targets]
    wait_within_15 = 85   # percent
    wait_p90 = 25         # minutes

Security incidents (``incident.recorded``) and, for each missed indicator, the improvement
plan and its follow-up (``sla.plan``) are events the site manager records.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from app.core.actor import Actor
from app.core.errors import InputError
from app.core.privacy import check_city_text
from app.reports.facts import INCIDENT
from app.reports.figures import Figures

if TYPE_CHECKING:
    from app.core.node import Node

SLA_FILE = "sla.toml"
SLA_PLAN = "sla.plan"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Indicator:
    """One service-level indicator.

    Attributes:
        key: its id (``sla.toml`` and ``sla.plan`` use it).
        name_ja: its Japanese name.
        unit: ``件``, ``%`` or ``分``.
        bound: ``max``: the actual must not exceed the target; ``min``: must reach it.
        target: the target value, in the unit.
        basis: the figure measure whose facts explain the actual value.
    """

    key: str
    name_ja: str
    unit: str
    bound: Literal["max", "min"]
    target: float
    basis: str


SLA_DEFAULTS: tuple[Indicator, ...] = (
    Indicator("security_incidents", "情報セキュリティ事故の件数", "件", "max", 0, "incidents"),
    Indicator("wait_within_15", "15分以内に呼び出した割合", "%", "min", 80, "waited_15"),
    Indicator("wait_p90", "待ち時間の90パーセンタイル", "分", "max", 30, "waited"),
    Indicator("noshow_rate", "予約の不在率", "%", "max", 10, "reservation_noshow"),
    Indicator("revisit_rate", "書類不備による再来庁の割合", "%", "max", 5, "turned_back"),
)


@dataclass(frozen=True)
class SlaResult:
    """An indicator measured for a month; ``met`` is None when there is no data."""

    indicator: Indicator
    actual: float | None
    met: bool | None
    plan: str
    follow_up: str


def load_targets(data_dir: Path) -> tuple[Indicator, ...]:
    """Returns the indicators with the site's targets (``<data dir>/sla.toml``) applied.

    Raises:
        ValueError: the file is not TOML, names an unknown indicator or a non-number.
    """
    file = Path(data_dir) / SLA_FILE
    if not file.exists():
        return SLA_DEFAULTS
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{file}: 読めません（{exc}）") from exc
    targets = raw.get("targets", {})
    known = {i.key: i for i in SLA_DEFAULTS}
    if not isinstance(targets, dict):
        raise InputError(f"{file}: [targets] の表にしてください")
    for key, value in targets.items():
        if key not in known:
            raise InputError(f"{file}: 指標 {key} はありません（{', '.join(known)}）")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputError(f"{file}: {key} = {value!r} は0以上の数にしてください")
    return tuple(replace(i, target=float(targets.get(i.key, i.target))) for i in SLA_DEFAULTS)


def _visits(figures: Figures, measure: str) -> int:
    """Returns how many visits a measure of procedures counts (each visit once)."""
    return len({getattr(f, "visit_id", None) for f in figures.select(measure)})


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


def actual_values(figures: Figures) -> dict[str, float | None]:
    """Returns each indicator's actual value for the figures' period."""
    waits = figures.times("wait")
    passed = figures.count("checked_in") + figures.count("reservation_noshow")
    arrivals = figures.count("visits") + figures.count("turned_back")
    # A visit counts once, however many of its procedures ended as a revisit.
    revisits = figures.count("turned_back") + _visits(figures, "revisit")
    return {
        "security_incidents": len(figures.facts.incidents),  # a count: printed as 0, not 0.0
        "wait_within_15": _share(figures.count("waited_15"), figures.count("waited")),
        "wait_p90": waits.p90,
        "noshow_rate": _share(figures.count("reservation_noshow"), passed),
        "revisit_rate": _share(revisits, arrivals),
    }


def is_met(indicator: Indicator, actual: float | None) -> bool | None:
    """Tells whether an actual value meets its indicator's target (None without data)."""
    if actual is None:
        return None
    if indicator.bound == "max":
        return actual <= indicator.target + 1e-9
    return actual >= indicator.target - 1e-9


def evaluate(node: Node, figures: Figures, month: str) -> list[SlaResult]:
    """Measures every indicator of a month, with the plans recorded for missed ones."""
    values = actual_values(figures)
    plans = sla_plans(node, month)
    results = []
    for indicator in load_targets(node.data_dir):
        actual = values[indicator.key]
        plan, follow_up = plans.get(indicator.key, ("", ""))
        results.append(SlaResult(indicator, actual, is_met(indicator, actual), plan, follow_up))
    return results


def record_incident(node: Node, actor: Actor, summary: str) -> None:
    """Records a security incident (情報セキュリティ事故) at the node's time.

    Raises:
        AuthError: the actor may not (site manager or administrator only).
        ValueError: no summary.
    """
    actor.require("calendar.edit")
    check_city_text(summary, "事故の概要")
    if not summary.strip():
        raise InputError("事故の概要を入力してください（個人情報は書かないでください）")
    with node.write(durable=True) as w:
        w.append(INCIDENT, actor, payload={"summary": summary.strip()})


def record_sla_plan(
    node: Node, actor: Actor, month: str, indicator: str, plan: str, follow_up: str = ""
) -> None:
    """Records the improvement plan and follow-up of a missed indicator (latest wins).

    Raises:
        AuthError: the actor may not (site manager or administrator only).
        ValueError: bad month, unknown indicator or no plan.
    """
    actor.require("calendar.edit")
    check_city_text(plan, "改善計画")
    check_city_text(follow_up, "改善の結果")
    if not _MONTH.match(month):
        raise InputError(f"月 {month!r} は YYYY-MM で指定してください")
    if indicator not in {i.key for i in SLA_DEFAULTS}:
        raise InputError(
            f"指標 {indicator} はありません（{', '.join(i.key for i in SLA_DEFAULTS)}）"
        )
    if not plan.strip():
        raise InputError("改善計画を入力してください")
    payload = {"month": month, "indicator": indicator, "plan": plan.strip(),
               "follow_up": follow_up.strip()}  # fmt: skip
    with node.write() as w:
        w.append(SLA_PLAN, actor, payload=payload)


def sla_plans(node: Node, month: str) -> dict[str, tuple[str, str]]:
    """Returns indicator -> (plan, follow-up) recorded for a month, the latest of each."""
    plans: dict[str, tuple[str, str]] = {}
    for event in node.store.events(
        "type = ? AND json_extract(payload, '$.month') = ?", (SLA_PLAN, month)
    ):
        p = event.payload
        plans[p["indicator"]] = (str(p.get("plan", "")), str(p.get("follow_up", "")))
    return plans

"""The training log and the 要員育成報告書 made from it (10 研修, 12(1) monthly). No Qt.

A training record says who was trained (a staff id), when, in what course, by whom (a
staff id or a department, never a person's name), for how many hours, and what the
trainer noted (指導記録). Records dated after the report's month are its training plan.
The report shows the month's trainings, how each role was trained (立場や役割に応じて),
the hours per staff member to date, and the plan of the next month.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core.actor import ROLES, Actor
from app.core.errors import InputError
from app.inquiries.categories import clean_text
from app.model.records_projection import TRAINING_REMOVED, TRAINING_SET
from app.reports.model import Column, Notes, Report, Table
from app.reports.operations import first_of_next, month_bounds
from app.reports.tables import now_text

if TYPE_CHECKING:
    from app.core.node import Node

TITLE = "要員育成報告書"
#: The longest training a record may hold (hours).
MAX_HOURS = 24.0


class TrainingLog:
    """Records trainings and lists them.

    Args:
        node: the node recording them.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def record(self, actor: Actor, staff_id: str, day: date, course: str, trainer: str,
               hours: float, record: str = "", training_id: str | None = None) -> str:  # fmt: skip
        """Records a training (or replaces ``training_id``'s); returns its id.

        Raises:
            AuthError: the actor may not record for the reports (site manager, admin).
            PrivacyError: a text holds personal data.
            InputError: unknown staff id, empty course or trainer, hours out of range.
        """
        actor.require("report.record")
        if self.node.store.row("SELECT 1 FROM staff WHERE staff_id = ?", (staff_id,)) is None:
            raise InputError(f"職員ID {staff_id} は登録されていません")
        if not 0 < hours <= MAX_HOURS:
            raise InputError(f"研修時間は 0 より多く {MAX_HOURS:g} 時間以内にしてください")
        payload = {"staff_id": staff_id, "day": day.isoformat(),
                   "course": clean_text(course, "研修の科目"),
                   "trainer": clean_text(trainer, "講師（職員IDまたは所属）"),
                   "hours": round(float(hours), 2),
                   "record": clean_text(record, "指導記録", required=False)}  # fmt: skip
        training_id = training_id or f"trn-{secrets.token_hex(5)}"
        with self.node.write() as w:
            w.append(TRAINING_SET, actor, payload={"training_id": training_id, **payload})
        return training_id

    def remove(self, actor: Actor, training_id: str) -> None:
        """Removes a training recorded by mistake.

        Raises:
            AuthError: the actor may not record for the reports.
            InputError: no such training.
        """
        actor.require("report.record")
        row = self.node.store.row(
            "SELECT * FROM trainings WHERE training_id = ? AND removed = 0", (training_id,)
        )
        if row is None:
            raise InputError(f"研修の記録 {training_id} はありません")
        with self.node.write() as w:
            w.append(TRAINING_REMOVED, actor, payload={"training_id": training_id,
                                                       "staff_id": row["staff_id"],
                                                       "day": row["day"]})  # fmt: skip

    def between(self, first: date, last: date) -> list[dict[str, Any]]:
        """Returns the trainings of the days ``first`` to ``last``, by day: ``training_id,
        staff_id, role, day, course, trainer, hours, record``."""
        return self.node.store.rows(
            "SELECT t.training_id, t.staff_id, coalesce(s.role, '') AS role, t.day, t.course, "
            "t.trainer, t.hours, t.record FROM trainings t LEFT JOIN staff s "
            "ON s.staff_id = t.staff_id WHERE t.removed = 0 AND t.day BETWEEN ? AND ? "
            "ORDER BY t.day, t.staff_id, t.training_id",
            (first.isoformat(), last.isoformat()),
        )


def _role(code: str) -> str:
    return ROLES[code].text_in("ja") if code in ROLES else code or "（不明）"


def build_training(node: Node, month: str) -> Report:
    """Builds the 要員育成報告書 of a month (``YYYY-MM``)."""
    first, last = month_bounds(month)
    log = TrainingLog(node)
    done = log.between(first, last)
    start = node.settings.calendar.first_day
    to_date = log.between(min(start, first), last)
    nxt = first_of_next(first)
    plan = log.between(*month_bounds(nxt.strftime("%Y-%m")))
    report = Report("training", TITLE, month, header=[
        ("拠点", node.settings.site.name_ja), ("対象月", f"{first:%Y年%m月}"),
        ("研修", f"{len(done)} 件・{sum(r['hours'] for r in done):g} 時間"), ("作成", now_text()),
    ])  # fmt: skip
    columns = [Column("日付", "date", 1.3), Column("職員ID", "text", 1), Column("役割", "text", 2),
               Column("研修（科目）", "text", 2.5), Column("講師", "text", 1.3),
               Column("時間", "number", 0.6), Column("指導記録", "text", 3.5)]  # fmt: skip
    rows: list[list[Any]] = [[date.fromisoformat(r["day"]), r["staff_id"], _role(r["role"]),
                              r["course"], r["trainer"], r["hours"], r["record"]] for r in done]  # fmt: skip
    report.blocks.append(Table("研修の実施記録（研修内容・指導記録）", columns, rows,
                               "講師は職員IDまたは所属で記録しています（氏名は載せません）"))  # fmt: skip
    staff = node.store.rows("SELECT staff_id, role FROM staff WHERE active = 1")
    by_role: dict[str, dict[str, Any]] = defaultdict(lambda: {"staff": 0, "trained": set(),
                                                              "hours": 0.0})  # fmt: skip
    for s in staff:
        by_role[s["role"]]["staff"] += 1
    for r in done:
        by_role[r["role"]]["trained"].add(r["staff_id"])
        by_role[r["role"]]["hours"] += r["hours"]
    role_rows: list[list[Any]] = [
        [_role(code), v["staff"], len(v["trained"]), v["hours"],
         v["hours"] / len(v["trained"]) if v["trained"] else None]
        for code in ROLES if (v := by_role.get(code)) is not None
    ]  # fmt: skip
    report.blocks.append(Table("役割別の育成状況（この月）", [
        Column("役割", "text", 2), Column("職員数"), Column("受講者"),
        Column("研修時間", "number"), Column("1人あたり（時間）", "number", 1.4),
    ], role_rows, "職員数 = 有効な職員。立場や役割に応じた育成の確認に使います"))  # fmt: skip
    hours_month: dict[str, float] = defaultdict(float)
    hours_total: dict[str, float] = defaultdict(float)
    roles = {s["staff_id"]: s["role"] for s in staff}
    for r in done:
        hours_month[r["staff_id"]] += r["hours"]
    for r in to_date:
        hours_total[r["staff_id"]] += r["hours"]
        roles.setdefault(r["staff_id"], r["role"])
    staff_rows: list[list[Any]] = [
        [sid, _role(roles.get(sid, "")), hours_month.get(sid, 0.0), hours_total.get(sid, 0.0)]
        for sid in sorted(roles)
    ]
    report.blocks.append(Table("職員別の研修時間", [
        Column("職員ID", "text"), Column("役割", "text", 1.5), Column("この月（時間）", "number"),
        Column(f"{start:%Y年%m月}からの累計（時間）", "number", 1.6),
    ], staff_rows, "研修のない職員は0時間と示します"))  # fmt: skip
    plan_rows: list[list[Any]] = [[date.fromisoformat(r["day"]), r["staff_id"], _role(r["role"]),
                                   r["course"], r["trainer"], r["hours"]] for r in plan]  # fmt: skip
    report.blocks.append(Table(f"研修計画（{nxt:%Y年%m月}）", columns[:6], plan_rows,
                               "翌月の日付で記録した研修を計画として示します"))  # fmt: skip
    if not done:
        report.blocks.append(Notes("備考", ["この月の研修の記録はありません"]))
    return report

"""The staffing structure (業務体制表, 9 of the specification) with dated versions, and the
roster of staff planned per day. No Qt.

Each assignment (``structure.assigned``) puts a staff member in a position from a day on:
統括管理者, 現地管理者, 代行者 or 業務従事者 (or out of the structure). Every assignment is
kept, so the structure in force on any day can be shown again as it was: for each staff
member, the assignment with the latest starting day on or before it (the latest recorded
if two start the same day). The roster (``roster.set``) names the staff planned for a day;
the monthly report's plan of the next month counts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import ROLES, Actor
from app.core.errors import InputError
from app.core.i18n import Msg
from app.inquiries.categories import clean_text
from app.model.records_projection import ASSIGNED, ROSTER_SET
from app.reports.model import Column, Report, Table
from app.reports.tables import now_text

if TYPE_CHECKING:
    from app.core.node import Node

#: Positions of the staffing structure (9 業務実施体制): code → names.
POSITIONS: Mapping[str, Msg] = {
    "supervisor": Msg("positions", "Supervisor"),
    "site_manager": Msg("positions", "Site manager"),
    "deputy": Msg("positions", "Deputy site manager"),
    "worker": Msg("positions", "Worker"),
    "none": Msg("positions", "Leaves the structure"),
}

TITLE = "業務体制表"


@dataclass(frozen=True)
class Assignment:
    """A staff member's position from a day on."""

    staff_id: str
    position: str
    from_day: date
    note: str
    hlc: int


class Structure:
    """Records assignments and the roster; tells the structure in force on a day.

    Args:
        node: the node.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def assign(self, actor: Actor, staff_id: str, position: str, from_day: date,
               note: str = "") -> None:  # fmt: skip
        """Puts a staff member in a position from a day on (``none``: out of the structure).

        Raises:
            AuthError: the actor may not manage staff.
            PrivacyError: the note holds personal data.
            InputError: unknown staff id or position.
        """
        actor.require("staff.manage")
        self._known(staff_id)
        if position not in POSITIONS:
            raise InputError(f"職位 {position} はありません（{', '.join(POSITIONS)}）")
        payload = {"staff_id": staff_id, "position": position, "from": from_day.isoformat(),
                   "note": clean_text(note, "備考", required=False)}  # fmt: skip
        with self.node.write() as w:
            w.append(ASSIGNED, actor, payload=payload)

    def history(self) -> list[Assignment]:
        """Returns every assignment, by starting day and then as recorded."""
        return [Assignment(r["staff_id"], r["position"], date.fromisoformat(r["from_day"]),
                           r["note"], r["hlc"]) for r in self.node.store.rows(
            "SELECT staff_id, position, from_day, note, hlc FROM structure "
            "ORDER BY from_day, hlc, node_id, seq")]  # fmt: skip

    def in_force(self, day: date) -> list[Assignment]:
        """Returns the structure on a day: each staff member's assignment in force, by
        position and staff id (those out of the structure left out)."""
        current: dict[str, Assignment] = {}
        for a in self.history():
            if a.from_day <= day:
                current[a.staff_id] = a  # later days and later records replace earlier ones
        order = {code: n for n, code in enumerate(POSITIONS)}
        return sorted((a for a in current.values() if a.position != "none"),
                      key=lambda a: (order[a.position], a.staff_id))  # fmt: skip

    def versions(self) -> list[date]:
        """Returns the days the structure changed (each is a version)."""
        return sorted({a.from_day for a in self.history()})

    # -- roster ---------------------------------------------------------------------------------

    def plan(self, actor: Actor, first: date, last: date, staff_ids: list[str],
             weekdays: set[int] | None = None) -> int:  # fmt: skip
        """Plans the staff of every open day from ``first`` to ``last`` (only ISO
        ``weekdays`` if given), replacing what was planned; returns the days planned.

        Raises:
            AuthError: the actor may not manage staff.
            InputError: unknown staff id, or a span that is backwards or over 3 months.
        """
        actor.require("staff.manage")
        for staff_id in staff_ids:
            self._known(staff_id)
        if last < first or (last - first).days > 92:
            raise InputError("勤務予定の期間は前から後へ、3か月以内で指定してください")
        calendar = self.node.calendar()
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        days = [d for d in days if calendar.is_open(d)
                and (weekdays is None or d.isoweekday() in weekdays)]  # fmt: skip
        ids = sorted(dict.fromkeys(staff_ids))
        if days:
            with self.node.write() as w:
                for day in days:
                    w.append(ROSTER_SET, actor, payload={"day": day.isoformat(), "staff_ids": ids})
        return len(days)

    def roster(self, first: date, last: date) -> dict[date, list[str]]:
        """Returns the staff planned per day of ``first`` to ``last`` (days planned only)."""
        rows = self.node.store.rows(
            "SELECT day, staff_ids FROM roster WHERE day BETWEEN ? AND ? ORDER BY day",
            (first.isoformat(), last.isoformat()),
        )
        return {date.fromisoformat(r["day"]): [s for s in r["staff_ids"].split(",") if s]
                for r in rows}  # fmt: skip

    def _known(self, staff_id: str) -> None:
        if self.node.store.row("SELECT 1 FROM staff WHERE staff_id = ?", (staff_id,)) is None:
            raise InputError(f"職員ID {staff_id} は登録されていません")


def _role_name(code: str) -> str:
    return ROLES[code].text_in("ja") if code in ROLES else ""


def _position(code: str) -> str:
    return POSITIONS[code].text_in("ja") if code in POSITIONS else code


def build_structure(node: Node, day: date) -> Report:
    """Builds the 業務体制表 in force on a day, with every change to it so far."""
    structure = Structure(node)
    current = structure.in_force(day)
    roles = {r["staff_id"]: r["role"] for r in node.store.rows("SELECT staff_id, role FROM staff")}
    versions = [v for v in structure.versions() if v <= day]
    report = Report("structure", TITLE, day.isoformat(), header=[
        ("拠点", node.settings.site.name_ja), ("時点", f"{day:%Y年%m月%d日}"),
        ("版", f"{versions[-1]:%Y年%m月%d日} からの体制（第{len(versions)}版）" if versions
         else "体制の記録がありません"), ("作成", now_text()),
    ])  # fmt: skip
    rows: list[list[Any]] = [[_position(a.position), a.staff_id,
                              _role_name(roles.get(a.staff_id, "")), a.from_day,
                              a.note] for a in current]  # fmt: skip
    counts = {code: sum(1 for a in current if a.position == code) for code in POSITIONS}
    report.blocks.append(Table("体制（この日に有効なもの）", [
        Column("職位", "text", 2.2), Column("職員ID", "text"), Column("システム上の役割", "text", 1.6),
        Column("この職位から", "date", 1.3), Column("備考", "text", 3),
    ], rows, "職員は職員IDで示します（氏名は載せません）"))  # fmt: skip
    report.blocks.append(Table("職位別の人数", [Column("職位", "text", 3), Column("人数")],
                               [[_position(c), n] for c, n in counts.items() if c != "none"]))  # fmt: skip
    changes: list[list[Any]] = []
    previous: dict[str, str] = {}
    for a in structure.history():
        if a.from_day > day:
            continue
        changes.append([a.from_day, a.staff_id, _position(previous.get(a.staff_id, "")) or "—",
                        _position(a.position), a.note])  # fmt: skip
        previous[a.staff_id] = a.position
    report.blocks.append(Table("変更の履歴（版）", [
        Column("適用日", "date", 1.3), Column("職員ID", "text"), Column("変更前", "text", 2),
        Column("変更後", "text", 2), Column("備考", "text", 3),
    ], changes, "業務体制表の変更は市に速やかに報告します（仕様書9）"))  # fmt: skip
    return report


def planned_staffing(node: Node, first: date, last: date) -> list[list[Any]]:
    """Rows of the next month's plan: open days with a roster, staff-days, least and most
    staff a day (the monthly report's 要員計画)."""
    calendar = node.calendar()
    roster = Structure(node).roster(first, last)
    open_days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    open_days = [d for d in open_days if calendar.is_open(d)]
    counts = [len(roster[d]) for d in open_days if d in roster]
    return [
        ["勤務予定を組んだ開所日", len(counts), f"日（開所日 {len(open_days)} 日）"],
        ["延べ従事予定（人日）", sum(counts), "人日"],
        ["1日の従事予定（最少〜最多）", f"{min(counts)}〜{max(counts)}" if counts else "—", "人"],
    ]

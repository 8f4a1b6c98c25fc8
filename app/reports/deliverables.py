"""The deliverables of the contract (12(1) 成果物) and their due dates, from the calendar.

=========================  ====================================================
作業日報, 問い合わせ対応記録  every open day, handed in the same day (毎日)
月次業務計画・実績報告書,     by the 3rd open center day of the next month
要員育成報告書,               (翌月3開所日後; after the contract, the 3rd city
サービス水準検証結果報告書    office day)
議事録                        by the 3rd city office day after the meeting
                              (開催日後3開庁日, 11 定例会議)
年度業務実績報告書,           the contract's last day (令和9年3月末)
業務マニュアル（改訂版）
=========================  ====================================================

Meetings are entered with their day (``meeting.recorded``); a deliverable handed in is
marked so (``deliverable.submitted``, undone by the same event without a day). Both are
registers (:mod:`app.model.records_projection`). No Qt.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import InputError
from app.core.i18n import Msg
from app.inquiries.categories import clean_text
from app.model.records_projection import MEETING_REMOVED, MEETING_SET, SUBMITTED
from app.reports.operations import first_of_next, monthly_due_date

if TYPE_CHECKING:
    from app.core.node import Node

#: The kinds of meetings (11 定例会議 of the specification): code → names.
MEETING_KINDS: Mapping[str, Msg] = {
    "monthly": Msg("meetings", "Monthly steering meeting"),
    "daily": Msg("meetings", "Daily report meeting"),
}

SUBMITTED_STATE, OVERDUE, DUE_TODAY, DUE_SOON, OPEN = (
    "submitted", "overdue", "due_today", "due_soon", "open")  # fmt: skip
#: The names of the states.
STATE_NAMES: dict[str, Msg] = {SUBMITTED_STATE: Msg("deliverables", "Handed in"), OVERDUE: Msg("deliverables", "Overdue"),
               DUE_TODAY: Msg("deliverables", "Due today"), DUE_SOON: Msg("deliverables", "Due soon"),
               OPEN: Msg("deliverables", "Not yet")}  # fmt: skip
DAILY = (("daily", "作業日報"), ("inquiries", "問い合わせ対応記録（電子データ）"))
MONTHLY = (("monthly", "月次業務計画・実績報告書"), ("training", "要員育成報告書"),
           ("sla", "サービス水準検証結果報告書"))  # fmt: skip
FINAL = (("annual", "年度業務実績報告書"), ("manual", "業務マニュアル（改訂版）"))
#: Days before its due date a deliverable counts as due soon.
SOON_DAYS = 3
#: The English names of the deliverables and of their due rules (the window in English).
ENGLISH = {
    "作業日報": "Daily work report",
    "問い合わせ対応記録（電子データ）": "Inquiry log (electronic)",
    "月次業務計画・実績報告書": "Monthly plan and results report",
    "要員育成報告書": "Staff training report",
    "サービス水準検証結果報告書": "Service level report",
    "年度業務実績報告書": "Annual results report",
    "業務マニュアル（改訂版）": "Operations manual (revised)",
    "議事録": "Minutes",
    "毎日（当日）": "Every open day, the same day",
    "翌月の3開所日目": "3rd open day of the next month",
    "契約期間後のため市の3開庁日目": "3rd city office day (after the contract period)",
    "開催日後3開庁日": "3 city office days after the meeting",
    "契約の最終日": "Last day of the contract",
}


@dataclass(frozen=True)
class Deliverable:
    """One deliverable: what, for which period, due when, handed in when."""

    key: str
    title: str
    period: str
    due: date
    rule: str
    submitted_on: date | None
    period_en: str = ""

    def english(self) -> tuple[str, str, str]:
        """Returns the title, period and due rule in English."""
        return (
            ENGLISH.get(self.title, self.title),
            self.period_en or self.period,
            ENGLISH.get(self.rule, self.rule),
        )

    def state(self, today: date) -> str:
        """Returns ``submitted``, ``overdue``, ``due_today``, ``due_soon`` or ``open``."""
        if self.submitted_on is not None:
            return SUBMITTED_STATE
        if today > self.due:
            return OVERDUE
        if today == self.due:
            return DUE_TODAY
        return DUE_SOON if (self.due - today).days <= SOON_DAYS else OPEN


class Deliverables:
    """Lists the deliverables with their due dates; records meetings and hand-ins.

    Args:
        node: the node.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    # -- listing ------------------------------------------------------------------------------

    def all(self, until: date) -> list[Deliverable]:
        """Returns every deliverable of the contract due on or before ``until``, by due date."""
        calendar = self.node.calendar()
        cal = self.node.settings.calendar
        handed = {r["key"]: r["submitted_on"] for r in self.node.store.rows(
            "SELECT key, submitted_on FROM deliverables WHERE submitted_on IS NOT NULL")}  # fmt: skip
        items: list[tuple[str, str, str, date, str]] = []
        periods_en: dict[str, str] = {}
        day = cal.first_day
        while day <= min(until, cal.last_day):
            if calendar.is_open(day):
                items += [(f"{code}:{day}", title, day.isoformat(), day, "毎日（当日）")
                          for code, title in DAILY]  # fmt: skip
            day += timedelta(days=1)
        month = cal.first_day.replace(day=1)
        while month <= cal.last_day:
            spec = month.strftime("%Y-%m")
            due, rule = monthly_due_date(calendar, spec)
            if due <= until:
                items += [(f"{code}:{spec}", title, spec, due, rule) for code, title in MONTHLY]
            month = first_of_next(month)
        for m in self.meetings():
            held = date.fromisoformat(m["day"])
            due = calendar.nth_city_office_day_after(held, 3)
            if due <= until:
                kind = MEETING_KINDS.get(m["kind"])
                name, name_en = (kind.text_in("ja"), kind.text) if kind else (m["kind"], m["kind"])
                period = f"{m['day']} {name}" + (f"（{m['title']}）" if m["title"] else "")
                periods_en[f"minutes:{m['meeting_id']}"] = f"{m['day']} {name_en}" + (
                    f" ({m['title']})" if m["title"] else ""
                )
                items.append((f"minutes:{m['meeting_id']}", "議事録", period, due,
                              "開催日後3開庁日"))  # fmt: skip
        if cal.last_day <= until:
            items += [(f"{code}:{cal.last_day:%Y}", title, f"{cal.first_day}〜{cal.last_day}",
                       cal.last_day, "契約の最終日") for code, title in FINAL]  # fmt: skip
        out = [Deliverable(key, title, period, due, rule,
                           date.fromisoformat(handed[key]) if key in handed else None,
                           periods_en.get(key, period.replace("〜", " – ")))
               for key, title, period, due, rule in items]  # fmt: skip
        return sorted(out, key=lambda d: (d.due, d.key))

    def listing(self, today: date, ahead_days: int = 31, kept_days: int = 14) -> list[Deliverable]:
        """What the site manager's window lists: everything not handed in that is due within
        ``ahead_days`` (overdue ones however old), then what was handed in the last
        ``kept_days``; the overdue first, then by due date."""
        shown = []
        for d in self.all(today + timedelta(days=ahead_days)):
            if d.submitted_on is None or (today - d.submitted_on).days <= kept_days:
                shown.append(d)
        rank = {OVERDUE: 0, DUE_TODAY: 1, DUE_SOON: 2, OPEN: 3, SUBMITTED_STATE: 4}
        return sorted(shown, key=lambda d: (rank[d.state(today)], d.due, d.key))

    def overdue(self, today: date) -> list[Deliverable]:
        """Returns the deliverables past their due date and not handed in."""
        return [d for d in self.all(today) if d.state(today) == OVERDUE]

    # -- hand-ins -------------------------------------------------------------------------------

    def mark(self, actor: Actor, key: str, on: date | None) -> None:
        """Marks a deliverable handed in on ``on``, or (None) not handed in after all.

        Raises:
            AuthError: the actor may not record for the reports (site manager, admin).
            InputError: no such deliverable is due yet, or a day in the future.
        """
        actor.require("report.record")
        today = self.node.today()
        if on is not None and on > today:
            raise InputError(f"提出日 {on} は今日（{today}）より後です")
        known = {d.key for d in self.all(today + timedelta(days=366))}
        if key not in known:
            raise InputError(f"提出物 {key} はありません（例: daily:2026-11-24、monthly:2026-11、"
                             "minutes:会議ID）")  # fmt: skip
        with self.node.write() as w:
            w.append(SUBMITTED, actor, payload={"key": key,
                                                "on": None if on is None else on.isoformat()})  # fmt: skip

    def mark_daily_through(self, actor: Actor, day: date, on: date) -> int:
        """Marks every daily deliverable due on or before ``day`` and not yet handed in as
        handed in on ``on`` (one event each); returns how many.

        Raises:
            AuthError: the actor may not record for the reports.
            InputError: ``on`` is in the future.
        """
        actor.require("report.record")
        if on > self.node.today():
            raise InputError(f"提出日 {on} は今日（{self.node.today()}）より後です")
        daily = {code for code, _ in DAILY}
        keys = [d.key for d in self.all(day)
                if d.submitted_on is None and d.key.split(":")[0] in daily]  # fmt: skip
        if keys:
            with self.node.write() as w:
                for key in keys:
                    w.append(SUBMITTED, actor, payload={"key": key, "on": on.isoformat()})
        return len(keys)

    # -- meetings -------------------------------------------------------------------------------

    def add_meeting(self, actor: Actor, day: date, kind: str, title: str = "") -> str:
        """Records a meeting (its minutes are due 3 city office days later); returns its id.

        Raises:
            AuthError: the actor may not record for the reports.
            PrivacyError: the title holds personal data.
            InputError: an unknown kind.
        """
        actor.require("report.record")
        if kind not in MEETING_KINDS:
            raise InputError(f"会議の種類 {kind} はありません（{', '.join(MEETING_KINDS)}）")
        title = clean_text(title, "会議の件名", required=False)
        meeting_id = f"mtg-{secrets.token_hex(5)}"
        with self.node.write() as w:
            w.append(MEETING_SET, actor, payload={"meeting_id": meeting_id, "day": day.isoformat(),
                                                  "kind": kind, "title": title})  # fmt: skip
        return meeting_id

    def remove_meeting(self, actor: Actor, meeting_id: str) -> None:
        """Removes a meeting entered by mistake.

        Raises:
            AuthError: the actor may not record for the reports.
            InputError: no such meeting.
        """
        actor.require("report.record")
        row = self.node.store.row(
            "SELECT * FROM meetings WHERE meeting_id = ? AND removed = 0", (meeting_id,)
        )
        if row is None:
            raise InputError(f"会議 {meeting_id} はありません")
        with self.node.write() as w:
            w.append(MEETING_REMOVED, actor, payload={"meeting_id": meeting_id, "day": row["day"],
                                                      "kind": row["kind"], "title": row["title"]})  # fmt: skip

    def meetings(self) -> list[dict[str, Any]]:
        """Returns the meetings entered: ``meeting_id, day, kind, title``, by day."""
        return self.node.store.rows(
            "SELECT meeting_id, day, kind, title FROM meetings WHERE removed = 0 "
            "ORDER BY day, meeting_id"
        )

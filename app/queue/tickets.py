"""Ticket services: issue, call, serve, transfer, close.

Each move is checked against the ticket's current state inside the write
transaction, then recorded as one event; the projection does the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.errors import ConfirmationNeeded, UserError
from app.core.i18n import BY_CODE, Msg
from app.model import ticket_fold as tf
from app.model import ticket_states as ts
from app.model.clock import JST, iso, to_ms
from app.queue.counter_pauses import CounterPauses
from app.queue.hours import check_overrun, check_walk_in, reception_day, refuse_closed
from app.queue.modes import ModeService
from app.queue.pauses import PauseService
from app.queue.routes import procedures_of, split_here, stops

if TYPE_CHECKING:
    from app.core.node import Node, Recorder

Row = dict[str, Any]
_NUMBER = re.compile(r"^([A-Za-z]{1,2})-?(\d{1,6})$")

STATE_NAMES: dict[str, Msg] = {
    ts.WAITING: Msg("states", "Waiting"),
    ts.CALLED: Msg("states", "Called"),
    ts.SERVING: Msg("states", "Serving"),
    ts.HELD: Msg("states", "On hold"),
    ts.DONE: Msg("states", "Done"),
    ts.NOSHOW: Msg("states", "No-show"),
    ts.CANCELLED: Msg("states", "Cancelled"),
    ts.TRANSFERRED: Msg("states", "Transferred"),
}
#: Why a visitor is called with priority (優先): code → (Japanese, English). A fixed list,
#: so that nothing personal is ever typed.
PRIORITY_REASONS: dict[str, Msg] = {
    "elderly": Msg("priority", "Elderly"),
    "disability": Msg("priority", "Disability"),
    "pregnant": Msg("priority", "Pregnant"),
    "children": Msg("priority", "With small children"),
    "unwell": Msg("priority", "Feeling unwell"),
}
OUTCOME_NAMES: dict[str, Msg] = {
    "completed": Msg("outcomes", "Completed"),
    "revisit": Msg("outcomes", "Incomplete documents, revisit"),
    "deferred": Msg("outcomes", "J-LIS down, come back later"),
}
MOVE_NAMES = {
    "ticket.called": "呼出し",
    "ticket.recalled": "再呼出し",
    "ticket.started": "対応開始",
    "ticket.held": "保留",
    "ticket.resumed": "再開",
    "ticket.transferred": "回付",
    "ticket.done": "完了",
    "ticket.noshow": "不在",
    "ticket.cancelled": "取消",
    "ticket.reopened": "訂正（やり直し）",
}
MOVE_NAMES_EN = {
    "ticket.called": "called", "ticket.recalled": "called again", "ticket.started": "started",
    "ticket.held": "put on hold", "ticket.resumed": "resumed",
    "ticket.transferred": "transferred", "ticket.done": "closed",
    "ticket.noshow": "marked as a no-show", "ticket.cancelled": "cancelled",
    "ticket.reopened": "corrected",
}  # fmt: skip


UNPROVEN_BLOCK = (
    "この端末の番号ブロックがまだ確定していません（共有フォルダにつながらないまま設定されました）。"
    "番号の重複を防ぐため、共有フォルダにつながって同期が済むまで整理券は発行できません。"
    "ネットワークと共有フォルダを確認し、その間は手書きの番号札でご案内ください"
)
UNPROVEN_BLOCK_EN = (
    "This PC's number block is not confirmed yet (it was set up without the shared folder). "
    "To never repeat a number it issues no ticket until it has synced with the shared "
    "folder. Check the network and the share; meanwhile hand out written numbers."
)


class TicketError(UserError):
    """A ticket move that is not possible; the message says why (Japanese and English)."""


class LateCheckIn(ConfirmationNeeded):
    """A reserved visitor came too late to keep priority; the floor manager may still receive
    them in the walk-in order (``issue(..., confirm_late=True)``)."""


def format_number(prefix: str, value: int) -> str:
    """Returns the display number, e.g. ``A-012``."""
    return f"{prefix}-{value:03d}"


def ticket_json(row: Row) -> dict[str, Any]:
    """Returns a ticket as a JSON object (CLI ``--json`` and exports)."""
    out = {k: row[k] for k in ("ticket_id", "number", "lane", "procedure", "applicant", "state")}
    out["issued_at"] = iso(row["issued_at"])
    out["day"] = row["day"]
    for key in ("called_at", "started_at", "ended_at", "slot_start"):
        out[key] = None if row[key] is None else iso(row[key])
    for key in ("counter", "outcome", "reason", "reservation_id", "transferred_from",
                "transferred_to", "call_count"):  # fmt: skip
        out[key] = row[key]
    out["priority"] = bool(row["priority"])
    out["priority_reason"] = row["priority_reason"]
    out["conflicts"] = json.loads(row["conflicts"]) if isinstance(row["conflicts"], str) else []
    out.update(tf.timings(row))
    return out


class TicketService:
    """Issues and moves tickets on one node.

    Args:
        node: the node whose store and identity are used.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    # -- lookups -----------------------------------------------------------------------------

    def get(self, ref: str, day: date | None = None) -> Row:
        """Returns a ticket by id, or by display number (today's unless ``day`` is given).

        Raises:
            TicketError: no such ticket.
        """
        store = self.node.store
        row = store.row("SELECT * FROM tickets WHERE ticket_id = ?", (ref,))
        if row is not None:
            return row
        match = _NUMBER.match(ref.strip())
        if match:
            number = format_number(match.group(1).upper(), int(match.group(2)))
            the_day = (day or self.node.today()).isoformat()
            row = store.row(
                "SELECT * FROM tickets WHERE day = ? AND number = ? ORDER BY issued_hlc DESC",
                (the_day, number),
            )
            if row is not None:
                return row
        raise TicketError(f"整理券 {ref} は見つかりません", en=f"No ticket {ref}")

    def language(self, ref: str) -> str:
        """Returns the language a ticket was issued in (``ja`` when none was chosen); a
        ticket transferred to another lane keeps the language of the ticket the visitor
        holds.

        Raises:
            TicketError: no such ticket.
        """
        ticket_id = str(self.get(ref)["ticket_id"])
        for _ in range(20):  # a chain of transfers is short; never loop on bad data
            issued = next((e.payload for e in self.node.store.ticket_events(ticket_id)
                           if e.type == tf.ISSUED), {})  # fmt: skip
            if "lang" in issued:
                return str(issued["lang"]) if issued["lang"] in BY_CODE else "ja"
            if not issued.get("transferred_from"):
                break
            ticket_id = str(issued["transferred_from"])
        return "ja"

    def tickets(
        self, day: date | None = None, states: tuple[str, ...] = (), lanes: tuple[str, ...] = ()
    ) -> list[Row]:
        """Returns a day's tickets (today by default) in issue order."""
        sql = "SELECT * FROM tickets WHERE day = ?"
        params: list[Any] = [(day or self.node.today()).isoformat()]
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            params += states
        if lanes:
            sql += f" AND lane IN ({','.join('?' * len(lanes))})"
            params += lanes
        return self.node.store.rows(sql + " ORDER BY issued_hlc", params)

    def queue(self, lanes: tuple[str, ...] = ()) -> list[Row]:
        """Returns today's waiting tickets in calling order.

        Reserved visitors whose slot has begun and transferred visitors come first (by slot,
        then arrival). Everyone else follows by issue time, never by display number; a
        priority visitor (優先) counts as issued ``reception.priority_head_start_minutes``
        (D, 10) earlier. So a priority visitor goes ahead of the regular visitors who came
        less than D minutes before them, and never ahead of anyone who came earlier: a
        regular visitor is overtaken only by the priority visitors who come in the D minutes
        after them, however many more come later. With ``c`` counters, every visit at most
        ``S`` minutes from call to end, ``A`` visitors ahead of them when their ticket is
        issued and ``P`` priority visitors issued in the D minutes after, a regular visitor
        is called within ``S × ⌈(A + P + 1) / c⌉`` minutes; a steady stream of one priority
        visitor every ``p`` minutes makes ``P ≤ ⌈D / p⌉``
        (``tests/app/queue/test_priority.py`` checks this bound).
        """
        lanes = lanes or tuple(self.node.catalog.lanes)
        now = self.node.now_ms()
        head_start = self.node.settings.reception.priority_head_start_minutes * 60_000
        marks = ",".join("?" * len(lanes))
        return self.node.store.rows(
            f"SELECT * FROM tickets WHERE day = ? AND state = 'waiting' AND lane IN ({marks}) "
            "ORDER BY CASE WHEN priority = 1 AND slot_start <= ? THEN 0 ELSE 1 END, "
            "CASE WHEN priority = 1 AND slot_start <= ? THEN slot_start ELSE 0 END, "
            "issued_at - CASE WHEN priority_reason IS NULL THEN 0 ELSE ? END, "
            "issued_hlc, ticket_id",
            [self.node.today().isoformat(), *lanes, now, now, head_start],
        )

    # -- issuing ------------------------------------------------------------------------------

    def issue(
        self,
        actor: Actor,
        procedure: str,
        applicant: str,
        *,
        reservation_id: str | None = None,
        confirm_late: bool = False,
        confirm_closed: bool = False,
        lang: str = "ja",
        priority_reason: str | None = None,
        others: Sequence[str] = (),
    ) -> Row:
        """Issues a numbered ticket (walk-in, or the check-in of a reservation).

        Args:
            actor: the floor manager issuing it.
            procedure: procedure code of the catalog.
            applicant: ``self``, ``legal`` or ``agent``.
            reservation_id: the reservation being checked in, if any.
            confirm_late: the floor manager confirmed a visitor too late for priority.
            confirm_closed: the floor manager confirmed a walk-in outside reception hours
                (before opening, after the procedure's cut-off or after closing).
            lang: the visitor's language (``app.core.i18n.CODES``), kept with the ticket
                (``ticket.issued``) so that every print of it comes out in that language.
            priority_reason: a priority visitor (優先): a code of :data:`PRIORITY_REASONS`;
                called ahead of the regular visitors who came shortly before (see
                :meth:`queue`).
            others: more procedures of the same visit (walk-ins): one ticket, served at
                the stops :func:`app.queue.routes.stops` gives.

        Raises:
            ClosedDay: the center is closed today (see :mod:`app.queue.hours`).
            ModeRefusal: the operating mode now takes no such ticket (a 臨時閉庁 of part of
                the day; a walk-in of a procedure or lane a 縮小運転 or J-LIS停止 leaves out).
            TicketError: the procedure needs a reservation, the reservation does not
                fit, the lane's numbers for today are used up, or no such language.
            LateCheckIn: a reserved visitor too late for priority (not confirmed).
            OutsideHours: a walk-in before opening, after closing, after its
                procedure's cut-off, or whose visit is expected to end after closing (not
                confirmed).
        """
        actor.require("ticket.issue")
        if lang not in BY_CODE:
            raise TicketError(f"言語 {lang!r} はありません（{', '.join(BY_CODE)}）",
                              en=f"No language {lang!r} ({', '.join(BY_CODE)})")  # fmt: skip
        if priority_reason is not None and priority_reason not in PRIORITY_REASONS:
            raise TicketError(f"優先の理由 {priority_reason} はありません（{', '.join(PRIORITY_REASONS)}）",
                              en=f"No priority reason {priority_reason} "
                              f"({', '.join(PRIORITY_REASONS)})")  # fmt: skip
        catalog = self.node.catalog
        codes = [procedure, *others]
        if len(set(codes)) < len(codes):
            raise TicketError("同じ手続が二度選ばれています", en="A procedure is chosen twice")
        if others and reservation_id is not None:
            raise TicketError("予約の受付に手続を加えることはできません（当日受付で発券してください）",
                              en="No procedure can be added to a booking's check-in")  # fmt: skip
        route = stops(catalog, codes, applicant)
        procs = [catalog.procedure(code) for stop in route for code in stop.procedures]
        lane_of = {code: stop.lane for stop in route for code in stop.procedures}
        # A pause stops walk-ins; a visitor with a reservation is still received (the visit
        # may end as deferred if J-LIS stays down).
        pauses = PauseService(self.node)
        for proc in procs:
            paused = None if reservation_id is not None else pauses.reason(proc.code)
            if paused is not None:
                raise TicketError(f"{proc.name_ja}は現在受付を停止しています（{paused}）",
                                  en=f"{proc.name_en} is paused for now ({paused})")  # fmt: skip
        with self.node.write(durable=True) as w:
            now = self.node.now_ms()
            today = self.node.today()
            day = reception_day(self.node, today)
            refuse_closed(day)
            modes = ModeService(self.node).now(now)
            for proc in procs:
                refusal = modes.refusal(proc, lane_of[proc.code], reservation_id is not None)
                if refusal is not None:
                    raise refusal
            extra: dict[str, Any] = {}
            if reservation_id is not None:
                extra = self._reservation_terms(reservation_id, procedure, applicant, now,
                                                today, confirm_late)  # fmt: skip
            elif any(proc.reservation for proc in procs):
                proc = next(proc for proc in procs if proc.reservation)
                raise TicketError(
                    f"{proc.name_ja}は予約制です。予約のない方には整理券を発行できません"
                    "（Web予約をご案内ください）",
                    en=f"{proc.name_en} needs a reservation: no ticket without one "
                    "(point the visitor to the web booking)",
                )
            elif not confirm_closed:
                check_walk_in(self.node, day, procs, now)
                check_overrun(self.node, day, route, now)
            if lang != "ja":  # absent: Japanese (and every ticket issued before languages)
                extra["lang"] = lang
            if priority_reason is not None:
                extra["priority_reason"] = priority_reason
            if len(procs) > 1:
                extra["procedures"] = [proc.code for proc in procs]
            row = self._issue(w, actor, procs[0].code, applicant, route[0].lane.id, today, extra)
        return row

    def _reservation_terms(
        self, reservation_id: str, procedure: str, applicant: str, now: int, today: date,
        confirm_late: bool,
    ) -> dict[str, Any]:  # fmt: skip
        res = self.node.store.row(
            "SELECT * FROM reservations WHERE reservation_id = ?", (reservation_id,)
        )
        if res is None:
            raise TicketError(f"予約 {reservation_id} は見つかりません",
                              en=f"No booking {reservation_id}")  # fmt: skip
        if res["state"] == "checked_in":
            raise TicketError(f"予約 {reservation_id} は受付済みです",
                              en=f"Booking {reservation_id} is already checked in")  # fmt: skip
        if res["state"] == "cancelled":
            raise TicketError(f"予約 {reservation_id} は取り消されています",
                              en=f"Booking {reservation_id} was cancelled")  # fmt: skip
        if res["day"] != today.isoformat():
            raise TicketError(
                f"予約 {reservation_id} は {res['day']} の予約です（本日ではありません）",
                en=f"Booking {reservation_id} is for {res['day']}, not today",
            )
        if (res["procedure"], res["applicant"]) != (procedure, applicant):
            raise TicketError(
                f"予約 {reservation_id} の手続・受取者区分は {res['procedure']}・{res['applicant']} です",
                en=f"Booking {reservation_id} is for {res['procedure']} / {res['applicant']}",
            )
        rules = self.node.settings.reservations
        hour, minute = (int(x) for x in res["slot"].split(":"))
        slot_start = to_ms(today, time(hour, minute))
        if now < slot_start - rules.checkin_early_minutes * 60_000:
            opens = datetime.fromtimestamp(
                slot_start / 1000 - rules.checkin_early_minutes * 60, tz=JST
            )
            raise TicketError(f"予約時刻 {res['slot']} の受付は {opens:%H:%M} からです",
                              en=f"Check-in for {res['slot']} opens at {opens:%H:%M}")  # fmt: skip
        on_time = now <= slot_start + (rules.slot_minutes + rules.late_grace_minutes) * 60_000
        late_limit = slot_start + rules.late_grace_minutes * 60_000
        keeps_priority = now <= late_limit
        if not keeps_priority and not confirm_late:
            raise LateCheckIn(
                f"予約時刻 {res['slot']} を{rules.late_grace_minutes}分以上過ぎています。"
                "優先案内はできません。一般の順番で受け付ける場合は確認してください",
                en=f"More than {rules.late_grace_minutes} minutes late for {res['slot']}: "
                "no priority. Check in to be called in turn with walk-ins?",
            )
        return {
            "reservation_id": reservation_id,
            "slot": res["slot"],
            "slot_start": slot_start,
            "priority": keeps_priority,
            "late": not keeps_priority or not on_time,
        }

    def _issue(
        self, w: Recorder, actor: Actor, procedure: str, applicant: str, lane_id: str,
        today: date, extra: dict[str, Any],
    ) -> Row:  # fmt: skip
        identity = self.node.identity
        if not identity.block_proven:
            raise TicketError(UNPROVEN_BLOCK, en=UNPROVEN_BLOCK_EN)
        block_size = self.node.settings.block_size
        last = self.node.store.row(
            "SELECT max(number_seq) AS n FROM tickets WHERE day = ? AND lane = ? AND block = ?",
            (today.isoformat(), lane_id, identity.issuer_block),
        )
        number_seq = ((last or {}).get("n") or 0) + 1
        if number_seq >= block_size:
            raise TicketError(
                f"本日の窓口 {lane_id} の番号（{block_size - 1}件）を使い切りました",
                en=f"Today's numbers of lane {lane_id} ({block_size - 1}) are used up",
            )
        prefix = self.node.catalog.lane(lane_id).prefix
        number = format_number(prefix, identity.issuer_block * block_size + number_seq)
        ticket_id = f"{identity.node_id}-{w.next_seq}"
        payload = {
            "number": number, "lane": lane_id, "block": identity.issuer_block,
            "number_seq": number_seq, "procedure": procedure, "applicant": applicant,
            "day": today.isoformat(), **extra,
        }  # fmt: skip
        w.append(tf.ISSUED, actor, ticket_id=ticket_id, payload=payload)
        return self.get(ticket_id)

    # -- moves --------------------------------------------------------------------------------

    def _move(
        self, actor: Actor, ref: str, move: str, payload: dict[str, Any] | None = None,
        durable: bool = False, action: str = "ticket.serve",
    ) -> Row:  # fmt: skip
        actor.require(action)
        with self.node.write(durable=durable) as w:
            row = self.get(ref)
            why = tf.refusal(row["state"], row["counter"], move, actor.counter)
            if why is not None:
                raise TicketError(*self._explain(row, move, actor))
            if move == tf.REOPENED and row["state"] == ts.TRANSFERRED:
                raise TicketError(
                    f"{row['number']} は回付済みです（回付先の整理券を操作してください）",
                    en=f"{row['number']} was transferred (correct the ticket it became)",
                )
            prev = [e.id for e in self.node.store.ticket_events(row["ticket_id"])]
            w.append(move, actor, ticket_id=row["ticket_id"], prev=prev, payload=payload)
        return self.get(row["ticket_id"])

    def _explain(self, row: Row, move: str, actor: Actor) -> tuple[str, str]:
        """Returns why a move is refused, in Japanese and in English."""
        state = STATE_NAMES[row["state"]]
        state_ja, state_en = state.text_in("ja"), state.text
        name = MOVE_NAMES.get(move, move)
        name_en = MOVE_NAMES_EN.get(move, move)
        number = row["number"]
        if move == tf.REOPENED:
            return (f"{number} は「{state_ja}」のため訂正できません（完了・不在・取消のみ訂正できます）",
                    f"{number} is {state_en.lower()}: only done, no-show or cancelled "
                    "tickets can be corrected")  # fmt: skip
        at_other = row["counter"] not in (None, actor.counter)
        if at_other and row["state"] in (ts.CALLED, ts.SERVING, ts.HELD):
            return (f"{number} は {row['counter']}番窓口が対応中のため{name}できません",
                    f"{number} is at counter {row['counter']}: it cannot be {name_en} here")  # fmt: skip
        return (f"{number} は「{state_ja}」のため{name}できません",
                f"{number} is {state_en.lower()}: it cannot be {name_en}")  # fmt: skip

    def call(self, actor: Actor, ref: str) -> Row:
        """Calls a specific waiting ticket to the actor's counter.

        A transferred ticket (its number typed, or its QR code scanned: the visitor keeps
        the ticket they were given) calls the linked ticket it was transferred to.
        """
        self._need_counter(actor)
        return self._move(actor, self.follow_transfer(ref), "ticket.called", durable=True)

    def follow_transfer(self, ref: str) -> str:
        """Returns the id of the ticket a visitor's ticket now stands for: itself, or the
        last of its transfers."""
        row = self.get(ref)
        for _ in range(20):  # a chain of transfers is short; never loop on bad data
            if row["state"] != ts.TRANSFERRED or not row["transferred_to"]:
                break
            row = self.get(row["transferred_to"])
        return str(row["ticket_id"])

    def call_next(self, actor: Actor, lanes: tuple[str, ...] = ()) -> Row | None:
        """Calls the next ticket of the given lanes (the node's lanes by default).

        Returns:
            The called ticket, or None when nobody is waiting.

        Raises:
            CounterPaused: the counter is paused (休憩 …): it calls nobody until resumed.
        """
        self._need_counter(actor)
        actor.require("ticket.serve")
        CounterPauses(self.node).refuse_calls(actor.counter)
        lanes = lanes or self.node.identity.lanes
        for _ in range(3):  # another process of this node may call the same one first
            waiting = self.queue(lanes)
            if not waiting:
                return None
            try:
                return self.call(actor, waiting[0]["ticket_id"])
            except TicketError:
                continue
        return None

    def recall(self, actor: Actor, ref: str) -> Row:
        """Calls a called ticket again (the visitor has not come to the counter yet)."""
        return self._move(actor, ref, "ticket.recalled", durable=True)

    def start(self, actor: Actor, ref: str) -> Row:
        """Starts serving a called visitor at the counter."""
        return self._move(actor, ref, "ticket.started")

    def hold(self, actor: Actor, ref: str, reason: str = "") -> Row:
        """Parks a ticket at this counter (e.g. the visitor fetches a document)."""
        return self._move(actor, ref, "ticket.held", {"reason": reason} if reason else None)

    def resume(self, actor: Actor, ref: str) -> Row:
        """Resumes serving a parked ticket."""
        return self._move(actor, ref, "ticket.resumed")

    def done(self, actor: Actor, ref: str, outcome: str = "completed",
             fee: str | None = None, outcomes: Mapping[str, str] | None = None) -> Row:  # fmt: skip
        """Closes a ticket with an outcome per procedure: completed, revisit or deferred.

        A visit of several procedures records the outcome of each procedure served here
        (``outcomes``; those not named get ``outcome``). If procedures routed to another
        lane remain (:func:`app.queue.routes.split_here`), the visit moves on to the next
        of them as a transfer, and the new ticket is returned; otherwise the ticket closes.

        Args:
            fee: ``reissue`` or ``express`` when the procedure is one the city's register
                charges for (ソ), so the day's count can be matched with the register; no
                amount of money is recorded.
        """
        for value in (outcome, *(outcomes or {}).values()):
            if value not in ts.OUTCOMES:
                raise TicketError(f"結果 {value} はありません（{', '.join(ts.OUTCOMES)}）",
                                  en=f"No outcome {value} ({', '.join(ts.OUTCOMES)})")  # fmt: skip
        if fee is not None and fee not in ts.FEES:
            raise TicketError(f"手数料 {fee} はありません（{', '.join(ts.FEES)}）",
                              en=f"No fee {fee} ({', '.join(ts.FEES)})")  # fmt: skip
        row = self.get(ref)
        every = procedures_of(row)
        here, rest = split_here(self.node.catalog, row)
        unknown = [code for code in (outcomes or {}) if code not in here]
        if unknown:
            raise TicketError(f"{row['number']} のこの窓口の手続に {unknown[0]} はありません",
                              en=f"{row['number']} has no procedure {unknown[0]} here")  # fmt: skip
        results = {code: (outcomes or {}).get(code, outcome) for code in here}
        overall = next((v for v in results.values() if v != "completed"), "completed")
        if fee is not None and overall != "completed":
            raise TicketError("手数料は手続が完了したときだけ記録できます",
                              en="A fee is recorded only for a completed procedure")  # fmt: skip
        if rest:
            if fee is not None:
                raise TicketError("手数料は最後の窓口で記録してください（続けて別の窓口の手続があります）",
                                  en="Record the fee at the last counter of the visit")  # fmt: skip
            lane = stops(self.node.catalog, rest, row["applicant"])[0].lane
            return self._transfer(actor, row["ticket_id"], lane.id,
                                  f"続けて{lane.name_ja}の手続", results, rest)  # fmt: skip
        payload: dict[str, Any] = {"outcome": overall}
        if len(every) > 1:
            payload["outcomes"] = results
        if fee is not None:
            payload["fee"] = fee
        return self._move(actor, ref, "ticket.done", payload)

    def noshow(self, actor: Actor, ref: str) -> Row:
        """Closes a called ticket whose visitor did not come (after the configured calls)."""
        row = self.get(ref)
        needed = self.node.settings.counter.noshow_after_calls
        if row["state"] == ts.CALLED and row["call_count"] < needed:
            left = needed - row["call_count"]
            raise TicketError(f"{row['number']} はあと{left}回呼び出してから不在にしてください",
                              en=f"Call {row['number']} {left} more time(s) before a no-show")  # fmt: skip
        return self._move(actor, ref, "ticket.noshow")

    def cancel(self, actor: Actor, ref: str, reason: str) -> Row:
        """Cancels a ticket (the visitor left, issued by mistake …)."""
        if not reason.strip():
            raise TicketError("取消の理由を入力してください", en="Give the reason for cancelling")
        return self._move(actor, ref, "ticket.cancelled", {"reason": reason.strip()},
                          action="ticket.cancel")  # fmt: skip

    def reopen(self, actor: Actor, ref: str, reason: str) -> Row:
        """Corrects a closing move made by mistake (done, no-show, cancel): the ticket
        returns to where it was before it. Only the move this PC has seen is undone.
        """
        if not reason.strip():
            raise TicketError(
                "訂正の理由を入力してください", en="Give the reason for the correction"
            )
        return self._move(actor, ref, tf.REOPENED, {"reason": reason.strip()},
                          action="ticket.cancel")  # fmt: skip

    def transfer(self, actor: Actor, ref: str, to_lane: str, reason: str) -> Row:
        """Transfers a ticket to another lane: the old one ends, a linked new one waits.

        The visitor keeps the ticket in their hand: the linked ticket has a number of its
        own for the records, but the board and the voice call it by the visitor's number
        (:meth:`app.queue.queries.QueueQueries.held_number`), and nothing new is printed.
        Every procedure of the ticket goes with it.

        Returns:
            The new ticket.
        """
        return self._transfer(actor, ref, to_lane, reason, {}, None)

    def _transfer(self, actor: Actor, ref: str, to_lane: str, reason: str,
                  outcomes: Mapping[str, str], procedures: list[str] | None) -> Row:  # fmt: skip
        """Transfers a ticket with the outcomes of the procedures served so far; the new
        ticket takes ``procedures`` (default: all of the old one's)."""
        actor.require("ticket.serve")
        self.node.catalog.lane(to_lane)
        if not reason.strip():
            raise TicketError("回付の理由を入力してください", en="Give the reason for the transfer")
        with self.node.write(durable=True) as w:
            old = self.get(ref)
            if tf.refusal(old["state"], old["counter"], "ticket.transferred", actor.counter):
                raise TicketError(*self._explain(old, "ticket.transferred", actor))
            prev = [e.id for e in self.node.store.ticket_events(old["ticket_id"])]
            identity = self.node.identity
            new_id = f"{identity.node_id}-{w.next_seq + 1}"
            payload: dict[str, Any] = {"to_lane": to_lane, "reason": reason.strip(),
                                       "new_ticket_id": new_id}  # fmt: skip
            if outcomes:
                payload["outcomes"] = dict(outcomes)
            w.append("ticket.transferred", actor, ticket_id=old["ticket_id"], prev=prev,
                     payload=payload)  # fmt: skip
            # A transferred visitor has waited once already: they go ahead of walk-ins.
            extra = {"transferred_from": old["ticket_id"], "reason": reason.strip(),
                     "priority": True, "slot_start": self.node.now_ms()}  # fmt: skip
            if old["priority_reason"] is not None:  # still a priority visitor at the counter
                extra["priority_reason"] = old["priority_reason"]
            moving = procedures or procedures_of(old)
            if len(moving) > 1:
                extra["procedures"] = moving
            new = self._issue(w, actor, moving[0], old["applicant"], to_lane,
                              self.node.today(), extra)  # fmt: skip
        return new

    @staticmethod
    def _need_counter(actor: Actor) -> None:
        if not actor.counter:
            raise TicketError(
                "窓口番号が設定されていません（この端末の窓口番号を設定してください）",
                en="No counter number is set (set this PC's counter number)",
            )


def day_range(first: date, last: date) -> list[date]:
    """Returns every day from first to last, inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]

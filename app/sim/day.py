"""One simulated open day: a discrete-event loop over the real services (see app.sim.simulate).

Visitors arrive (reservations around their slot, walk-ins shaped by the hour), reception
issues their tickets or turns them back (some walk-ins are priority visitors, some renewals
come with a PIN reset or a switch of card; a walk-in a mode leaves out or who comes after
closing is sent away), counters call the next ticket whenever they are free, serve for a
drawn time and record the outcome (moving a visit on to the city counter for its city
procedures); clerks sign in in the morning, pause their counter for a staggered lunch break
and sign out when their queue is empty after closing. On a J-LIS outage the site manager
sets J-LIS停止; now and then a planned train suspension makes an afternoon 縮小運転. No Qt.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any

from app.core.actor import SYSTEM, Actor
from app.core.staff import StaffService
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService
from app.model.clock import to_datetime, to_ms
from app.queue.closures import ClosureService
from app.queue.counter_pauses import CounterPauses
from app.queue.hours import OutsideHours
from app.queue.modes import ModeRefusal, ModeService
from app.queue.routes import procedures_of, split_here, stops
from app.queue.tickets import PRIORITY_REASONS, TicketService
from app.reservations.bookings import ReservationService
from app.sim.arrivals import (
    MINUTE,
    Arrival,
    book_day,
    gamma_ms,
    reserved_arrivals,
    walk_in_arrivals,
)

if TYPE_CHECKING:
    from app.sim.config import SimClock, SimConfig, SimNode
    from app.sim.forecasts import ForecastLog

#: Questions asked at the counters after a visit: (category, question, answer).
_INQUIRIES = (
    ("certificate", "電子証明書の有効期限はいつまでですか", "発行日から5回目の誕生日までです"),
    (
        "pin",
        "暗証番号を忘れた場合はどうすればよいですか",
        "本人確認書類をお持ちのうえ再設定できます",
    ),
    ("reservation", "予約の変更はできますか", "Web予約のページから変更できます"),
    ("visit", "駐車場はありますか", "ベイスクエアの駐車場をご利用ください"),
    ("fee", "再交付の手数料はいくらですか", "1,000円です（市の窓口でお支払いください）"),
)

#: Called with a ticket's row the moment it is issued.
IssueHook = Callable[[dict[str, Any]], object]
#: A visit that ended at reception for missing documents (the reception screen writes it too).
TURNED_BACK = "visit.turned_back"
_LUNCH_MINUTES = 45


@dataclass(frozen=True)
class SimStaff:
    """The simulated site's staff ids by role, all with one PIN."""

    floor: tuple[str, ...]
    clerks: tuple[str, ...]
    city: tuple[str, ...]
    pin: str


@dataclass
class DayCounts:
    """What one simulated day (or several, added up) made."""

    reservations: int = 0
    tickets: int = 0
    turned_back: int = 0
    transfers: int = 0
    #: Walk-ins sent away: a mode left their procedure out, or they came after closing.
    refused: int = 0
    priority: int = 0
    several: int = 0

    def add(self, other: DayCounts) -> None:
        """Adds another day's counts to these."""
        self.reservations += other.reservations
        self.tickets += other.tickets
        self.turned_back += other.turned_back
        self.transfers += other.transfers
        self.refused += other.refused
        self.priority += other.priority
        self.several += other.several


@dataclass
class _Counter:
    name: str
    lanes: tuple[str, ...]
    staff_id: str
    city: bool
    actor: Actor | None = None
    busy: bool = False
    on_break: bool = False  # leaves for lunch once the visitor at the counter is served
    gone: bool = False


@dataclass
class _Plan:
    """What will happen to one ticket, drawn when it is issued."""

    service_ms: int
    outcome: str = "completed"
    transfer: bool = False
    noshow: bool = False
    give_up_ms: int | None = None
    jlis: bool = False


@dataclass(order=True)
class _Job:
    at: int
    seq: int
    action: Callable[..., object] = field(compare=False)
    args: tuple[Any, ...] = field(compare=False, default=())


class _Day:
    """The state and the event queue of one simulated day."""

    def __init__(self, node: SimNode, clock: SimClock, day: date, rng: random.Random,
                 config: SimConfig, staff: SimStaff, outage: tuple[int, int] | None,
                 on_issue: IssueHook | None = None, log: ForecastLog | None = None) -> None:  # fmt: skip
        self.node, self.clock, self.day, self.rng, self.config = node, clock, day, rng, config
        self.staff, self.outage, self.on_issue, self.log = staff, outage, on_issue, log
        self.pauses = CounterPauses(node)
        self.modes = ModeService(node)
        self.tickets = TicketService(node)
        self.staff_service = StaffService(node)
        self.inquiries = InquiryService(node)
        self.qa = QaService(node)
        self.closures = ClosureService(node)
        self.jobs: list[_Job] = []
        self.seq = 0
        self.waiting: dict[str, set[str]] = {lane: set() for lane in node.catalog.lanes}
        self.plans: dict[str, _Plan] = {}
        self.counts = DayCounts()
        self.floor = Actor(rng.choice(staff.floor), "floor_manager")
        status = node.calendar().status(day)
        assert status.hours is not None
        self.hours, self.slots = status.hours, status.slots
        self.close_ms = to_ms(day, self.hours.close)
        contractor_lanes = tuple(lane.id for lane in node.catalog.lanes.values()
                                 if lane.operator == "contractor")  # fmt: skip
        city_lanes = tuple(lane.id for lane in node.catalog.lanes.values()
                           if lane.operator == "city")  # fmt: skip
        clerks = rng.sample(staff.clerks, config.contractor_counters)
        city = rng.sample(staff.city, config.city_counters)
        self.counters = [_Counter(str(i + 1), contractor_lanes, s, False)
                         for i, s in enumerate(clerks)]  # fmt: skip
        self.counters += [_Counter(str(config.contractor_counters + i + 1), city_lanes, s, True)
                          for i, s in enumerate(city)]  # fmt: skip

    # -- the event queue -------------------------------------------------------------------

    def at(self, ms: int, action: Callable[..., object], *args: Any) -> None:
        self.seq += 1
        heapq.heappush(self.jobs, _Job(ms, self.seq, action, args))

    def run(self) -> None:
        while self.jobs:
            job = heapq.heappop(self.jobs)
            self.clock.set_ms(job.at)
            job.action(*job.args)
        for lane_waiting in self.waiting.values():  # nobody left to serve them
            for ticket_id in sorted(lane_waiting):
                self.tickets.cancel(self.floor, ticket_id, "閉庁時刻を過ぎたため")
        self.staff_service.sign_out(self.floor)
        if self.log is not None:
            self.log.finish_day(self.node, self.day)

    # -- the morning -----------------------------------------------------------------------

    def schedule(self, certificates: float) -> None:
        self.clock.set(self.day, time(7, 30))
        bookings = book_day(self.node, self.day, self.slots, self.rng, self.config.booking_rate)
        self.counts.reservations = len(bookings)
        staff_start = to_ms(self.day, self.hours.staff_start)
        self.at(staff_start, self.sign_in_floor)
        open_ms = to_ms(self.day, self.hours.open)
        for i, counter in enumerate(self.counters):
            self.at(staff_start + self.rng.randrange(0, 10 * MINUTE), self.sign_in, counter)
            lunch = open_ms + (120 + 45 * (i % 3)) * MINUTE + self.rng.randrange(0, 5 * MINUTE)
            self.at(lunch, self.lunch, counter)
        self.at(self.close_ms, self.closing)
        self.at(open_ms + 30 * MINUTE, self.paperwork)
        if self.outage is not None:  # the site manager sets J-LIS停止 while J-LIS is down
            self.at(self.outage[0], self.jlis_down)
        if self.rng.random() < self.config.reduced_rate:  # a planned train suspension
            self.at(open_ms + 60 * MINUTE, self.reduce)
        grace = self.node.settings.reservations.late_grace_minutes
        # Each PC's sync marks the reservations nobody checked in once their slot is over.
        self.at(self.close_ms + (grace + 1) * MINUTE, ReservationService(self.node).sweep_noshows,
                SYSTEM)  # fmt: skip
        arrivals = reserved_arrivals(self.day, self.hours, bookings, self.rng,
                                     self.config.noshow_rate, self.config.late_rate, grace)  # fmt: skip
        means = dict(self.config.walk_ins, certificate=certificates)
        arrivals += walk_in_arrivals(self.day, self.hours, means, self.rng)
        for arrival in arrivals:
            self.at(arrival.at_ms, self.arrive, arrival)

    # -- reception -------------------------------------------------------------------------

    def sign_in_floor(self) -> None:
        self.floor = self.staff_service.sign_in(self.floor.staff_id, self.staff.pin)

    def arrive(self, arrival: Arrival) -> None:
        if arrival.reservation is None:
            self.walk_in(arrival.procedure, arrival.applicant)
            return
        row = self.tickets.issue(self.floor, arrival.procedure, arrival.applicant,
                                 reservation_id=arrival.reservation["reservation_id"],
                                 confirm_late=arrival.late)  # fmt: skip
        mean = self.node.catalog.procedure(arrival.procedure).service_minutes
        self.issued(row, _Plan(gamma_ms(self.rng, mean + 5 * (arrival.applicant != "self"))))

    def walk_in(self, procedure: str, applicant: str) -> None:
        if self.rng.random() < self.config.turned_back_rate:
            docs = list(self.node.catalog.documents(procedure, applicant))
            missing = self.rng.sample(docs, min(len(docs), self.rng.choice((1, 1, 2))))
            with self.node.write() as w:
                w.append(TURNED_BACK, self.floor, payload={"procedure": procedure,
                         "applicant": applicant, "missing": missing})  # fmt: skip
            self.counts.turned_back += 1
            return
        others = self.other_procedures(procedure, applicant)
        reason = None
        if self.rng.random() < self.config.priority_rate:
            reason = self.rng.choice(sorted(PRIORITY_REASONS))
        lane = stops(self.node.catalog, [procedure, *others], applicant)[0].lane.id
        said = None
        if self.log is not None:
            said = self.log.before_issue(self.node, lane, [procedure, *others], self.clock())
        options: dict[str, Any] = {"priority_reason": reason, "others": others}
        try:
            try:
                row = self.tickets.issue(self.floor, procedure, applicant, **options)
            except OutsideHours:
                if self.clock() >= self.reception_close():
                    self.counts.refused += 1  # came after closing: asked to come back
                    return
                # Before opening, past the cut-off or a long wait: the visitor was let in.
                row = self.tickets.issue(self.floor, procedure, applicant, confirm_closed=True,
                                         **options)  # fmt: skip
        except ModeRefusal:
            self.counts.refused += 1  # told why, and asked to come another day
            return
        if self.log is not None:
            self.log.issued(self.node, row["ticket_id"], lane, said)
        self.counts.priority += reason is not None
        self.counts.several += bool(others)
        minutes = sum(self.node.catalog.procedure(code).service_minutes
                      for code in split_here(self.node.catalog, row)[0])  # fmt: skip
        plan = _Plan(gamma_ms(self.rng, minutes))
        plan.transfer = row["lane"] != "city" and self.rng.random() < self.config.transfer_rate
        plan.noshow = self.rng.random() < self.config.call_noshow_rate
        if self.rng.random() < self.config.give_up_rate:
            plan.give_up_ms = self.clock() + self.rng.randrange(20, 60) * MINUTE
        self.issued(row, plan)

    def issued(self, row: dict[str, Any], plan: _Plan) -> None:
        self.counts.tickets += 1
        if self.on_issue is not None:
            self.on_issue(row)
        if self.rng.random() < self.config.print_rate:  # printed at reception (no printer here)
            with self.node.write() as w:
                w.append("ticket.printed", self.floor, ticket_id=row["ticket_id"])
        proc = self.node.catalog.procedure(row["procedure"])
        plan.jlis = proc.jlis
        draw = self.rng.random()
        if draw < self.config.revisit_rate:
            plan.outcome = "revisit"
        elif proc.jlis and draw < self.config.revisit_rate + self.config.deferred_rate:
            plan.outcome = "deferred"
        self.plans[row["ticket_id"]] = plan
        self.waiting[row["lane"]].add(row["ticket_id"])
        if plan.give_up_ms is not None:
            self.at(plan.give_up_ms, self.give_up, row["ticket_id"], row["lane"])
        self.wake()

    def give_up(self, ticket_id: str, lane: str) -> None:
        if ticket_id in self.waiting[lane]:
            self.waiting[lane].discard(ticket_id)
            self.tickets.cancel(self.floor, ticket_id, "待ち時間が長いため帰られた")

    # -- counters --------------------------------------------------------------------------

    def wake(self) -> None:
        for counter in self.counters:
            if counter.actor is not None and not counter.busy and not counter.on_break:
                self.call(counter)

    def call(self, counter: _Counter) -> None:
        assert counter.actor is not None
        if not any(self.waiting[lane] for lane in counter.lanes):
            if self.clock() >= self.close_ms:
                self.leave_for_the_day(counter)
            return
        row = self.tickets.call_next(counter.actor, counter.lanes)
        if row is None:
            return
        self.waiting[row["lane"]].discard(row["ticket_id"])
        counter.busy = True
        plan = self.plans[row["ticket_id"]]
        now = self.clock()
        if plan.noshow:
            self.at(now + 2 * MINUTE, self.recall, counter, row["ticket_id"])
            self.at(now + 5 * MINUTE, self.no_show, counter, row["ticket_id"])
        else:
            walk = self.rng.randrange(20_000, 120_000)
            self.at(now + walk, self.start, counter, row["ticket_id"])

    def recall(self, counter: _Counter, ticket_id: str) -> None:
        assert counter.actor is not None
        self.tickets.recall(counter.actor, ticket_id)

    def start(self, counter: _Counter, ticket_id: str) -> None:
        assert counter.actor is not None
        self.tickets.start(counter.actor, ticket_id)
        self.at(self.clock() + self.plans[ticket_id].service_ms, self.end, counter, ticket_id)

    def end(self, counter: _Counter, ticket_id: str) -> None:
        assert counter.actor is not None
        plan = self.plans[ticket_id]
        if plan.transfer:
            new = self.tickets.transfer(
                counter.actor, ticket_id, "city", "市職員の確認（二重確認）"
            )
            self.counts.transfers += 1
            self.plans[new["ticket_id"]] = _Plan(gamma_ms(self.rng, 10), jlis=plan.jlis)
            self.waiting[new["lane"]].add(new["ticket_id"])
        else:
            outcome = plan.outcome
            if plan.jlis and self.outage and self.outage[0] <= self.clock() < self.outage[1]:
                outcome = "deferred"
            result = self.tickets.done(counter.actor, ticket_id, outcome)
            if result["ticket_id"] != ticket_id:  # on to the city counter for the rest
                self.counts.transfers += 1
                rest = procedures_of(result)
                minutes = sum(self.node.catalog.procedure(c).service_minutes for c in rest)
                self.plans[result["ticket_id"]] = _Plan(gamma_ms(self.rng, minutes),
                                                        jlis=plan.jlis)  # fmt: skip
                self.waiting[result["lane"]].add(result["ticket_id"])
                self.freed(counter)
                return
            if self.rng.random() < self.config.correction_rate:  # closed by mistake
                self.tickets.reopen(counter.actor, ticket_id, "操作の誤り")
                self.tickets.done(counter.actor, ticket_id, outcome)
            if self.rng.random() < self.config.inquiry_rate:
                topic = self.rng.choice(_INQUIRIES)
                self.inquiries.log(counter.actor, topic[0], topic[1], topic[2])
        self.freed(counter)

    def no_show(self, counter: _Counter, ticket_id: str) -> None:
        assert counter.actor is not None
        self.tickets.noshow(counter.actor, ticket_id)
        self.freed(counter)

    def freed(self, counter: _Counter) -> None:
        counter.busy = False
        if counter.on_break:
            self.go_to_lunch(counter)
        self.wake()

    # -- shifts ----------------------------------------------------------------------------

    def sign_in(self, counter: _Counter) -> None:
        counter.actor = self.staff_service.sign_in(counter.staff_id, self.staff.pin, counter.name)
        counter.on_break = False
        self.wake()

    def lunch(self, counter: _Counter) -> None:
        if counter.gone or counter.actor is None:
            return
        counter.on_break = True
        if not counter.busy:
            self.go_to_lunch(counter)

    def go_to_lunch(self, counter: _Counter) -> None:
        """The clerk pauses the counter for the lunch break (休憩) and comes back to it."""
        assert counter.actor is not None
        self.pauses.pause(counter.actor, "break")
        self.at(self.clock() + _LUNCH_MINUTES * MINUTE, self.back_from_lunch, counter)

    def back_from_lunch(self, counter: _Counter) -> None:
        assert counter.actor is not None
        self.pauses.resume(counter.actor)
        counter.on_break = False
        self.wake()

    def closing(self) -> None:
        self.wake()

    def paperwork(self) -> None:
        """The site manager's edits of a day: the Q&A collection, a closure slip."""
        manager = Actor("sm01", "site_manager")
        if self.rng.random() < self.config.qa_edit_rate:
            entries = self.qa.all()
            if entries:
                entry = self.rng.choice(entries)
                self.qa.edit(manager, entry["qa_id"],
                             answer=f"{entry['answer']}（{self.day:%m/%d} 更新）")  # fmt: skip
        if self.rng.random() < self.config.closure_slip_rate:
            slip = self.day + timedelta(days=self.rng.randrange(20, 40))
            if self.node.calendar().is_open(slip):  # entered by mistake, removed at once
                self.closures.add(manager, slip, "入力の誤り")
                self.closures.remove(manager, slip)

    def other_procedures(self, procedure: str, applicant: str) -> tuple[str, ...]:
        """Draws the other procedures of a visit: a renewal often comes with a PIN reset,
        sometimes with the switch to a face-authentication card (the city's)."""
        if procedure != "certificate" or self.rng.random() >= self.config.several_rate:
            return ()
        other = self.rng.choices(("pin", "face_auth"), (3, 1))[0]
        allowed = applicant in self.node.catalog.procedure(other).applicants
        return (other,) if allowed else ()

    def reception_close(self) -> int:
        """Returns when reception closes today (a 縮小運転 may close early)."""
        return self.modes.close_ms(self.day) or self.close_ms

    def jlis_down(self) -> None:
        """The site manager sets J-LIS停止 for the outage: J-LIS walk-ins are refused."""
        assert self.outage is not None
        end = to_datetime(self.outage[1]).time().replace(tzinfo=None)
        self.modes.start(Actor("sm01", "site_manager"), "jlis", "J-LIS 障害", end=end)

    def reduce(self) -> None:
        """A planned train suspension: from 14:00 the center runs reduced, closing early."""
        walk_ins = [p.code for p in self.node.catalog.procedures.values()
                    if not p.reservation and p.code not in ("express", "application")]  # fmt: skip
        close = self.hours.close.replace(hour=self.hours.close.hour - 2)
        self.modes.start(Actor("sm01", "site_manager"), "reduced", "計画運休のため",
                         start=time(14, 0), procedures=walk_ins, close_at=close)  # fmt: skip

    def leave_for_the_day(self, counter: _Counter) -> None:
        """Signs a counter out after closing once its queue is empty (city counters last)."""
        assert counter.actor is not None
        if counter.city and any(c.actor is not None for c in self.counters if not c.city):
            return
        self.staff_service.sign_out(counter.actor)
        counter.actor, counter.gone = None, True
        if not counter.city:
            self.wake()


def run_day(node: SimNode, clock: SimClock, day: date, rng: random.Random, config: SimConfig,
            staff: SimStaff, certificates: float, outage: tuple[int, int] | None,
            on_issue: IssueHook | None = None, log: ForecastLog | None = None) -> DayCounts:  # fmt: skip
    """Simulates one open day; returns what it made.

    Args:
        node: the simulated node.
        clock: its clock.
        day: an open day.
        rng: the simulation's random source.
        config: volumes and rates.
        staff: the staff pools.
        certificates: e-certificate walk-ins expected this day.
        outage: a J-LIS outage (epoch ms from, to) on this day, if any.
        on_issue: called with each ticket row the moment reception has issued it (the
            estimate's measurement looks at the queue then).
        log: notes what reception's expected end said and what happened.
    """
    sim = _Day(node, clock, day, rng, config, staff, outage, on_issue, log)
    sim.schedule(certificates)
    sim.run()
    clock.set_ms(to_ms(day + timedelta(days=1), time(0)) - MINUTE)
    return sim.counts

"""The services of one PC, made in one place and handed to its windows. No Qt.

A window is handed the services it uses (as napari's ``QtDims(dims)`` is handed its model),
never the node's store: what it shows comes from queries, what it does goes through a
service that checks the rules and records the event. :meth:`Services.of` is the one place
that makes them from an open :class:`~app.core.node.Node`; the shell calls it and passes
each panel its part.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.node import Node
from app.core.node_view import NodeView
from app.core.staff import StaffService
from app.inquiries.inquiry_log import InquiryService
from app.inquiries.qa import QaService
from app.printing.jobs import TicketPrinting
from app.queue.checks import DoubleChecks
from app.queue.closures import ClosureService
from app.queue.counter_pauses import CounterPauses
from app.queue.links import Links
from app.queue.modes import ModeService
from app.queue.pauses import PauseService
from app.queue.queries import QueueQueries
from app.queue.tickets import TicketService
from app.queue.visits import VisitService
from app.reports.deliverables import Deliverables
from app.reports.live import LiveFigures
from app.reports.notes import ReportNotes
from app.reports.writer import ReportWriter
from app.reservations.bookings import ReservationService
from app.reservations.importer import ReservationImports


@dataclass(frozen=True)
class Services:
    """Everything the windows of one PC use.

    Attributes:
        here: the PC itself: identity, settings, catalog, clock, calendar, data changes.
        tickets: issuing and moving tickets.
        queue: the read side of the queue (counts, calls, a counter's tickets).
        pauses: paused procedures.
        closures: ad-hoc closures.
        visits: visits turned back at reception.
        staff: staff and sign-in.
        reservations: bookings, check-in lookups, no-shows.
        imports: the reservation export's import.
        inquiries: the inquiry log.
        qa: the Q&A collection.
        printing: printing tickets and the reprint queue.
        live: the site manager's live figures and staffing advice.
        reports: writing the city's reports in a worker thread.
        notes: the site manager's report entries (問題点, 改善内容, 市との調整事項).
        checks: the city's double checks (シ), asked at a counter, signed off by city staff.
        deliverables: the contract's deliverables, their due dates, meetings and hand-ins.
        links: whether the board and the counters hear each other.
        counter_pauses: counters paused with a reason (休憩 …).
        modes: the operating modes (縮小運転, J-LIS停止, 臨時閉庁 of part of a day).
    """

    here: NodeView
    tickets: TicketService
    queue: QueueQueries
    pauses: PauseService
    closures: ClosureService
    visits: VisitService
    staff: StaffService
    reservations: ReservationService
    imports: ReservationImports
    inquiries: InquiryService
    qa: QaService
    printing: TicketPrinting
    live: LiveFigures
    reports: ReportWriter
    notes: ReportNotes
    checks: DoubleChecks
    deliverables: Deliverables
    links: Links
    counter_pauses: CounterPauses
    modes: ModeService

    def reception(self) -> ReceptionServices:
        """Returns what the reception desk (walk-ins, check-in, import) uses."""
        return ReceptionServices(self.here, self.tickets, self.queue, self.pauses, self.visits,
                                 self.printing, self.reservations, self.imports,
                                 self.modes)  # fmt: skip

    def counter(self) -> CounterServices:
        """Returns what a counter (calls, moves, inquiries) uses."""
        return CounterServices(self.here, self.tickets, self.queue, self.inquiries, self.qa,
                               self.checks, self.links, self.counter_pauses)  # fmt: skip

    def board(self) -> BoardServices:
        """Returns what the waiting-room board uses."""
        return BoardServices(self.here, self.queue, self.links, self.staff, self.modes)

    def manager(self) -> ManagerServices:
        """Returns what the site manager's window uses."""
        return ManagerServices(self.here, self.live, self.closures, self.pauses, self.staff,
                               self.reports, self.qa, self.notes, self.deliverables,
                               self.links, self.modes)  # fmt: skip

    @classmethod
    def of(cls, node: Node) -> Services:
        """Makes every service of an open node."""
        return cls(
            here=NodeView(node),
            tickets=TicketService(node),
            queue=QueueQueries(node),
            pauses=PauseService(node),
            closures=ClosureService(node),
            visits=VisitService(node),
            staff=StaffService(node),
            reservations=ReservationService(node),
            imports=ReservationImports(node),
            inquiries=InquiryService(node),
            qa=QaService(node),
            printing=TicketPrinting(node),
            live=LiveFigures(node),
            reports=ReportWriter(node.data_dir),
            notes=ReportNotes(node),
            checks=DoubleChecks(node),
            deliverables=Deliverables(node),
            links=Links(node),
            counter_pauses=CounterPauses(node),
            modes=ModeService(node),
        )


@dataclass(frozen=True)
class ReceptionServices:
    """What the reception desk uses (see :class:`Services` for each)."""

    here: NodeView
    tickets: TicketService
    queue: QueueQueries
    pauses: PauseService
    visits: VisitService
    printing: TicketPrinting
    reservations: ReservationService
    imports: ReservationImports
    modes: ModeService


@dataclass(frozen=True)
class CounterServices:
    """What a counter uses (see :class:`Services` for each)."""

    here: NodeView
    tickets: TicketService
    queue: QueueQueries
    inquiries: InquiryService
    qa: QaService
    checks: DoubleChecks
    links: Links
    pauses: CounterPauses


@dataclass(frozen=True)
class BoardServices:
    """What the waiting-room board uses (see :class:`Services` for each); ``staff`` checks
    the PIN that lets someone leave the full-screen board."""

    here: NodeView
    queue: QueueQueries
    links: Links
    staff: StaffService
    modes: ModeService


@dataclass(frozen=True)
class ManagerServices:
    """What the site manager's window uses (see :class:`Services` for each)."""

    here: NodeView
    live: LiveFigures
    closures: ClosureService
    pauses: PauseService
    staff: StaffService
    reports: ReportWriter
    qa: QaService
    notes: ReportNotes
    deliverables: Deliverables
    links: Links
    modes: ModeService

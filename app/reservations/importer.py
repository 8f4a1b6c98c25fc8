"""Import of the web reservation export: every row or none, in one transaction. No Qt.

The export is the whole list of bookings of the days it covers, so importing it again is safe:
new numbers are booked, changed ones booked again (same number), unchanged ones left alone,
rows the file's status column marks cancelled are cancelled, and the bookings of those days
that are no longer in the file are cancelled (never deleted) once a person has seen the
list and confirmed it: a file holding only a day's new bookings must not silently cancel
the others. A booking already checked in (整理券発行済み) is never changed by an import.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.actor import Actor
from app.core.center_calendar import CenterCalendar, DayStatus
from app.core.errors import ConfirmationNeeded, UserError
from app.reservations.csv_reader import MAPPING_FILE, CsvMapping, Export, read_export

if TYPE_CHECKING:
    from app.core.node import Node

_KEYS = ("day", "slot", "procedure", "applicant", "name_kana")
_PROGRESS_EVERY = 200

Progress = Callable[[int, int], None]


class ImportRefused(UserError):
    """An export with problems; nothing was imported.

    Attributes:
        problems: every problem, ``line N, column 列名: what is wrong``, by line.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class CancellationsToConfirm(ConfirmationNeeded):
    """Bookings of the file's days that the file no longer lists would be cancelled; nothing
    was imported. Import again with ``confirm_cancel=True`` once a person has agreed.

    Attributes:
        bookings: ``reservation_id, day, slot, procedure, applicant`` of each, by day and slot.
    """

    def __init__(self, bookings: list[dict[str, Any]]) -> None:
        days = sorted({b["day"] for b in bookings})
        super().__init__(
            f"このファイルにない予約 {len(bookings)} 件（{'、'.join(days)}）を取り消すことになります。"
            "ファイルがその日の予約をすべて含む最新の書き出しか確かめ、取り消してよければ確認のうえ"
            "もう一度取り込んでください（何も取り込んでいません）"
        )
        self.bookings = bookings


@dataclass
class ImportSummary:
    """What an import did.

    Attributes:
        rows: data rows in the file.
        added: new bookings.
        updated: bookings whose day, slot, procedure, applicant or name changed.
        unchanged: bookings already imported as they are.
        cancelled: bookings cancelled: marked so in the file, or of the covered days and no
            longer in the file.
        days: the days the file covers (ISO), in order.
        dropped_columns: the file's columns that were not kept.
        encoding: ``utf-8-sig``, ``utf-8`` or ``cp932``.
        seconds: how long the import took.
    """

    rows: int
    added: int
    updated: int
    unchanged: int
    cancelled: int
    days: list[str]
    dropped_columns: list[str]
    encoding: str
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """Returns the summary as a JSON object."""
        return asdict(self)


def load_mapping(node: Node) -> CsvMapping:
    """Returns the site's mapping (``<data dir>/reservation_csv.toml``) or the default one.

    Raises:
        ValueError: the mapping file is not acceptable.
    """
    file = node.data_dir / MAPPING_FILE
    return CsvMapping.from_toml(file) if file.exists() else CsvMapping()


def _still_taken(existing: dict[str, dict[str, Any]], export: Export) -> Counter[tuple[date, str]]:
    """Counts, per slot, the recorded bookings not in the file that the import keeps."""
    in_file = {row.reservation_id for row in export.rows}
    covered = {row.day.isoformat() for row in export.rows if row.day is not None}
    return Counter(
        (date.fromisoformat(r["day"]), r["slot"])
        for r in existing.values()
        if r["reservation_id"] not in in_file
        and (r["state"] == "checked_in" or (r["state"] == "booked" and r["day"] not in covered))
    )


def check_schedule(
    export: Export, calendar: CenterCalendar, seats_per_slot: int,
    taken: Mapping[tuple[date, str], int] | None = None,
) -> None:  # fmt: skip
    """Checks the rows against the calendar and the capacity of each slot.

    Args:
        export: the export read by :func:`read_export`; problems are added to it.
        calendar: the center calendar, with its ad-hoc closures.
        seats_per_slot: reservations a slot takes.
        taken: bookings per (day, slot) already recorded that stay after the import.
    """
    days: dict[date, tuple[DayStatus, list[str]]] = {}
    placed: dict[tuple[date, str], list[int]] = {}
    seen: set[str] = set()
    for row in export.rows:
        if row.day is None or row.cancelled:  # a cancelled booking takes no seat
            continue
        if row.day not in days:
            status = calendar.status(row.day)
            days[row.day] = status, [s.strftime("%H:%M") for s in status.slots]
        status, slots = days[row.day]
        if not status.open:
            reasons = "、".join(status.reasons_ja)
            export.add(row.line, "day", f"{row.day.isoformat()} は閉庁日です（{reasons}）")
        elif row.slot is not None and row.slot not in slots:
            known = f"予約枠は {slots[0]}〜{slots[-1]}" if slots else "予約枠がない日です"
            export.add(row.line, "slot", f"{row.day.isoformat()} に {row.slot} の予約枠はありません（{known}）")  # fmt: skip
        elif row.slot is not None and row.reservation_id not in seen:
            placed.setdefault((row.day, row.slot), []).append(row.line)
        if row.reservation_id is not None:
            seen.add(row.reservation_id)
    for (day, slot), lines in placed.items():
        before = (taken or {}).get((day, slot), 0)
        for line in lines[max(0, seats_per_slot - before) :]:
            export.add(line, "slot", f"{day.isoformat()} {slot} の予約枠は満席です（定員 {seats_per_slot} 人に、"
                                     f"このファイルの {len(lines)} 件と受付済み {before} 件）")  # fmt: skip


def _plan(
    export: Export, existing: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], int, list[str], list[str]]:
    """Returns the bookings to record, how many are added, the numbers the file marks
    cancelled and the numbers of the file's days that it no longer lists."""
    bookings: list[dict[str, Any]] = []
    marked: list[str] = []
    added = 0
    for row in export.rows:
        if not row.ok:
            continue
        payload = row.payload()
        old = existing.get(payload["reservation_id"])
        if row.cancelled:  # a booking checked in stays as it is
            if old is not None and old["state"] == "booked":
                marked.append(payload["reservation_id"])
            continue
        if old is not None and all(old[k] == payload[k] for k in _KEYS):
            if old["state"] != "cancelled":
                continue  # unchanged (a cancelled one is booked again)
        elif old is not None and old["state"] == "checked_in":
            export.add(
                row.line,
                "reservation_id",
                f"予約番号 {payload['reservation_id']} は {old['day']} {old['slot']} の予約として"
                "受付済み（整理券発行済み）のため、内容を変えて取り込めません",
            )
            continue
        added += old is None
        bookings.append(payload)
    in_file = {row.reservation_id for row in export.rows}
    covered = {row.day.isoformat() for row in export.rows if row.day is not None}
    cancel = sorted(
        r["reservation_id"]
        for r in existing.values()
        if r["state"] == "booked" and r["day"] in covered and r["reservation_id"] not in in_file
    )
    return bookings, added, marked, cancel


def import_reservations(
    node: Node,
    actor: Actor,
    path: Path | str,
    mapping: CsvMapping | None = None,
    progress: Progress | None = None,
    confirm_cancel: bool = False,
) -> ImportSummary:
    """Imports a reservation export: every row, or nothing when any row has a problem.

    Args:
        node: the node recording the bookings.
        actor: who imports (needs ``reservation.manage``).
        path: the CSV file.
        mapping: the columns and values; None reads ``<data dir>/reservation_csv.toml``
            if it exists, else uses the defaults.
        progress: called as ``progress(done, total)`` while recording, ``total`` being the
            rows plus the cancellations, for a progress bar.
        confirm_cancel: a person has seen the bookings of the file's days that the file
            no longer lists, and agrees they are cancelled.

    Returns:
        What was imported.

    Raises:
        AuthError: the actor may not manage reservations.
        ImportRefused: the file has problems (all listed); nothing was imported.
        CancellationsToConfirm: the import would cancel bookings the file does not list,
            and ``confirm_cancel`` is not given; nothing was imported.
        OSError: the file cannot be read.
        ValueError: the mapping file is not acceptable.
    """
    started = time.perf_counter()
    actor.require("reservation.manage")
    data = Path(path).read_bytes()
    export = read_export(data, node.catalog, mapping or load_mapping(node),
                         node.data_dir / MAPPING_FILE)  # fmt: skip
    if not export.rows:
        raise ImportRefused(export.problems)
    seats = node.settings.reservations.seats_per_slot
    with node.write(durable=True) as w:
        existing = {
            r["reservation_id"]: r
            for r in node.store.rows(
                "SELECT reservation_id, day, slot, procedure, applicant, name_kana, state "
                "FROM reservations"
            )
        }
        check_schedule(export, node.calendar(), seats, _still_taken(existing, export))
        bookings, added, marked, dropped = _plan(export, existing)
        if export.problems:
            raise ImportRefused(export.problems)
        if dropped and not confirm_cancel:
            listing = [{k: existing[r][k] for k in ("reservation_id", "day", "slot", "procedure",
                                                    "applicant")} for r in dropped]  # fmt: skip
            raise CancellationsToConfirm(sorted(listing, key=lambda b: (b["day"], b["slot"])))
        cancel = marked + dropped
        changed = len(bookings)
        rows = len(export.rows)
        total, done = rows + len(dropped), rows - changed - len(marked)
        if progress is not None:
            progress(done, total)
        for reservation_id in cancel:
            bookings.append({"reservation_id": reservation_id})
        for n, payload in enumerate(bookings, start=1):
            kind = "reservation.booked" if "day" in payload else "reservation.cancelled"
            w.append(kind, actor, payload=payload)
            if progress is not None and (n % _PROGRESS_EVERY == 0 or n == len(bookings)):
                progress(done + n, total)
    days = sorted({row.day.isoformat() for row in export.rows if row.day is not None})
    return ImportSummary(
        rows=rows,
        added=added,
        updated=changed - added,
        unchanged=rows - changed - len(marked),
        cancelled=len(cancel),
        days=days,
        dropped_columns=list(export.dropped_columns),
        encoding=export.encoding,
        seconds=time.perf_counter() - started,
    )


class ReservationImports:
    """Imports of the web reservation export, for the windows (see
    :func:`import_reservations`).

    Args:
        node: the node recording the bookings.
    """

    def __init__(self, node: Node) -> None:
        self.node = node

    def import_file(self, actor: Actor, path: Path | str, progress: Progress | None = None,
                    confirm_cancel: bool = False) -> ImportSummary:  # fmt: skip
        """Imports one export file: every row, or nothing (see :func:`import_reservations`)."""
        return import_reservations(self.node, actor, path, progress=progress,
                                   confirm_cancel=confirm_cancel)  # fmt: skip

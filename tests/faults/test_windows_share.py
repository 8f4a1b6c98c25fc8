"""The PCs on a Windows SMB share (simulated: :mod:`tests.faults.smbfs`): its caches, its
sharing rules, its names and its clock."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from datetime import time as dtime
from pathlib import Path

import pytest

from app.core.actor import SYSTEM, Actor
from app.queue.tickets import TicketService
from app.reports.writer import ReportWriter
from app.reservations.bookings import ReservationService
from app.reservations.importer import import_reservations
from app.sync.service import SyncService
from tests.faults.smb import ROOT, Holder, SmbMount, required, unavailable
from tests.faults.smbfs import Rules
from tests.helpers.clock import OPEN_DAY, FakeClock
from tests.helpers.nodes import make_node, site_node

FLOOR = Actor("fm", "floor_manager")
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reservations-sample.csv"
#: The caches of these tests: as Windows' (10 s, 10 s, 5 s) but shorter, to keep the suite fast.
CACHE_S = 1.5


@pytest.fixture
def smb(tmp_path: Path) -> Iterator[SmbMount]:
    reason = unavailable()
    if reason is not None:
        if required():
            pytest.fail(f"the simulated Windows share is needed in CI: {reason}")
        pytest.skip(reason)
    rules = Rules.smb(dir_cache_s=CACHE_S, info_cache_s=CACHE_S, not_found_cache_s=CACHE_S)
    with SmbMount(tmp_path / "share", tmp_path / "smb", rules) as mount:
        yield mount


def has_ticket(node: object, ticket_id: str) -> bool:
    row = node.store.row("SELECT 1 FROM tickets WHERE ticket_id = ?", (ticket_id,))  # type: ignore[attr-defined]
    return row is not None


def rounds_until(service: SyncService, seen: object, limit_s: float) -> tuple[int, float]:
    """Runs sync rounds until ``seen()`` holds; returns the rounds and seconds it took."""
    started = time.monotonic()
    rounds = 0
    while True:
        report = service.once()
        rounds += 1
        assert not report.offline and not report.problems, report
        if seen():  # type: ignore[operator]
            return rounds, time.monotonic() - started
        assert time.monotonic() - started < limit_s, f"not seen after {rounds} rounds"
        time.sleep(0.05)  # the next poll, as the sync thread would


def test_an_append_to_a_known_segment_is_read_in_the_next_round_despite_the_caches(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    tickets = TicketService(reception)
    first = tickets.issue(FLOOR, "pin", "self")
    a.once()
    rounds_until(b, lambda: has_ticket(counter, first["ticket_id"]), 3 * CACHE_S + 5)
    second = tickets.issue(FLOOR, "pin", "self")
    a.once()
    rounds, _ = rounds_until(b, lambda: has_ticket(counter, second["ticket_id"]),
                             3 * CACHE_S + 5)  # fmt: skip
    assert rounds == 1  # the size the server has now, not what the client cached
    assert counter.store.event_count() == reception.store.event_count()


NAME = "ヤマグチ ショウタロウ"
NAME_JSON = b"\\u30e4\\u30de\\u30b0\\u30c1"  # ヤマグチ as the segments hold it


def named_files(share: Path) -> list[str]:
    return sorted(p.name for p in share.rglob("*.log") if NAME_JSON in p.read_bytes().lower())


def test_a_purge_while_another_pc_reads_the_segment_deletes_it_once_released(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    ReservationService(reception).book(SYSTEM, "R0001", OPEN_DAY, "11:00", "issuance", "self",
                                       NAME)  # fmt: skip
    a, b = SyncService(reception), SyncService(counter)
    a.once()
    b.once()
    share = tmp_path / "share"
    [original] = named_files(share)
    held = next(share.rglob(original)).relative_to(share)
    clock.set(date(2026, 12, 1), dtime(20, 0))  # 7 days after the visit, staff hours over
    assert ReservationService(reception).purge(Actor("sm", "site_manager")) == 1
    with Holder(smb.client("counter-1") / held):  # the counter PC is reading it right now
        report = a.once()
        assert not report.offline and not report.write_failed, report.message
        assert any("次の同期で削除します" in p for p in report.problems), report.problems
        assert named_files(share) == [original]  # still there: Windows refuses to delete it
        assert a.once().problems  # and it is not rewritten again meanwhile
    report = a.once()
    assert not report.problems, report.problems
    assert named_files(share) == []
    scrubbed = sorted(p.name for p in share.rglob(f"nodes/{reception.identity.node_id}/*.log"))
    assert [n.count("-p") for n in scrubbed if "-p" in n] == [1]  # one copy, one suffix
    for _ in range(2):
        b.once()
    [booking] = ReservationService(counter).for_day(OPEN_DAY)
    assert booking["reservation_id"] == "R0001" and booking["name_kana"] is None


LOGGER = """
import logging, sys
from pathlib import Path
import app.core.logs as logs
logs.MAX_LOG_BYTES = 20_000
logs.setup_logging(Path(sys.argv[1]))
log = logging.getLogger("madoguchi.window")
for phase in range(2):
    for n in range(phase * 400, phase * 400 + 400):
        log.info("line %05d %s", n, "x" * 60)
    print("written", flush=True)
    sys.stdin.readline()
"""


def test_the_log_keeps_every_line_while_the_command_line_holds_it_open(
    tmp_path: Path, smb: SmbMount
) -> None:
    data_dir = smb.client("pc") / "data"  # the PC's folder on a Windows file system
    (data_dir / "logs").mkdir(parents=True)
    log_file = data_dir / "logs" / "madoguchi.log"
    log_file.write_text("", encoding="utf-8")
    window = subprocess.Popen([sys.executable, "-c", LOGGER, str(data_dir)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert window.stdin is not None and window.stdout is not None
    with Holder(log_file):  # `madoguchi-cli` on the same PC has the log open
        assert window.stdout.readline().strip() == "written"
        assert not (data_dir / "logs" / "madoguchi.log.1").exists()  # it could not rotate
    window.stdin.write("\n")
    window.stdin.flush()
    assert window.stdout.readline().strip() == "written"
    window.communicate("\n", timeout=30)
    files = sorted((data_dir / "logs").glob("madoguchi.log*"))
    assert len(files) > 1  # rotated once nobody else held it
    lines = [ln for f in files for ln in f.read_text(encoding="utf-8").splitlines()]
    numbers = sorted(int(ln.split("line ")[1][:5]) for ln in lines if "line " in ln)
    assert numbers == list(range(800))  # not one lost (five old files hold them all)


def test_a_report_open_in_a_viewer_is_left_alone_and_the_new_one_written_beside_it(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    node = make_node(tmp_path / "admin", clock, role="admin")
    TicketService(node).issue(FLOOR, "pin", "self")
    node.close()
    folder = smb.client("admin") / "reports"  # the city's report folder on the file server
    writer = ReportWriter(tmp_path / "admin")
    day = OPEN_DAY.isoformat()
    [first] = writer.write("daily", day, ["pdf"], folder)
    before = first.read_bytes()
    with Holder(first, viewer=True):  # the site manager has it open in a PDF viewer
        [second] = writer.write("daily", day, ["pdf"], folder)
        assert second.name == f"daily_{day}-2.pdf" and second.read_bytes().startswith(b"%PDF")
        assert first.read_bytes() == before  # untouched
    [third] = writer.write("daily", day, ["pdf"], folder)  # closed again: written in place
    assert third == first


def test_a_new_segment_is_read_before_the_cached_listing_shows_it(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    first = TicketService(reception).issue(FLOOR, "pin", "self")
    SyncService(reception).once()
    b = SyncService(counter)
    rounds_until(b, lambda: has_ticket(counter, first["ticket_id"]), 3 * CACHE_S + 5)
    restarted = SyncService(reception)  # the program started again: a segment of its own
    second = TicketService(reception).issue(FLOOR, "pin", "self")
    restarted.once()
    node_dir = next((tmp_path / "share").rglob(f"nodes/{reception.identity.node_id}"))
    assert len(list(node_dir.glob("seg-*.log"))) == 2
    rounds, _ = rounds_until(b, lambda: has_ticket(counter, second["ticket_id"]), 3 * CACHE_S + 5)
    assert rounds == 1  # named by the heartbeat, not waiting for the listing


def wall_clock(ahead_s: float) -> object:
    return lambda: int(time.time() * 1000 + ahead_s * 1000)


@pytest.mark.parametrize("step_ns", [100, 2_000_000_000], ids=["ntfs-100ns", "fat-2s"])
def test_the_clock_offset_holds_with_stale_file_times_and_a_server_clock_of_its_own(
    tmp_path: Path, smb: SmbMount, step_ns: int
) -> None:
    smb.set(time_step_ns=step_ns, clock_offset_s=-3600.0, info_cache_s=4.0)
    reception = site_node(tmp_path, "reception", wall_clock(0), block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", wall_clock(90), block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    started = time.monotonic()
    while time.monotonic() - started < 1.5:  # rounds for a while: the cached times age
        a.once()
        b.once()
        time.sleep(0.1)
    [row] = [r for r in a.status() if r["node_id"] == counter.identity.node_id]
    error_s = abs(row["clock_offset_ms"] / 1000 - 90)
    assert error_s <= step_ns / 1e9 + 0.3, row
    assert row["clock_alarm"] is False  # 90 s is under the two-minute alarm


def test_a_full_or_read_only_share_and_a_closed_folder_are_reported_and_nothing_is_lost(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    issued = [TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"]]
    a.once()
    for change in ({"full": True}, {"full": False, "readonly": True}):
        smb.set(**change)
        issued.append(TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"])
        report = a.once()
        assert report.write_failed and not report.offline and report.waiting >= 1
        assert "書き込めません" in report.message
    smb.set(readonly=False)
    # IT closes the reception PC's folder of the day with an ACL, by mistake
    node_dir = next((tmp_path / "share").rglob(f"nodes/{reception.identity.node_id}"))
    smb.set(denied=[node_dir.relative_to(tmp_path / "share").as_posix()])
    report = a.once()
    assert report.write_failed and not report.offline
    report = b.once()
    assert not report.offline and report.problems  # named under 要確認, the rest read
    smb.set(denied=[])
    assert a.once().waiting == 0
    rounds_until(b, lambda: all(has_ticket(counter, t) for t in issued), 3 * CACHE_S + 5)


def test_a_reservation_export_open_in_excel_on_the_share_imports(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    node = make_node(tmp_path / "reception", clock)
    folder = smb.client("reception") / "予約"  # the export as the city's system left it
    folder.mkdir()
    export = folder / "予約一覧_20261005.CSV"
    export.write_bytes(SAMPLE.read_bytes())
    with Holder(export, viewer=True):  # Excel has it open (nobody else may write it)
        summary = import_reservations(node, FLOOR, smb.client("counter-1") / "予約" / export.name)
    assert (summary.rows, summary.added) == (48, 48)
    node.close()


def own_segment(tmp_path: Path, node: object) -> Path:
    node_id = node.identity.node_id  # type: ignore[attr-defined]
    [path] = sorted((tmp_path / "share").rglob(f"nodes/{node_id}/seg-*.log"))
    return path


def test_a_tail_cut_behind_the_cached_size_is_never_appended_to(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    smb.set(info_cache_s=30.0, dir_cache_s=30.0)  # the writer's client keeps the old size
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    first = TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"]
    a.once()
    segment = own_segment(tmp_path, reception)
    with open(segment, "r+b") as f:  # on the file server: the last record cut short
        f.truncate(segment.stat().st_size - 5)
    second = TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"]
    a.once()  # must not glue the new record to the torn one
    for _ in range(3):
        a.once()
        b.once()
    assert has_ticket(counter, first) and has_ticket(counter, second)
    assert counter.store.event_count() == reception.store.event_count()


def test_a_byte_changed_within_the_servers_two_second_step_is_still_found(
    tmp_path: Path, clock: FakeClock, smb: SmbMount
) -> None:
    smb.set(time_step_ns=2_000_000_000)  # FAT-like times: a change in the same step is hidden
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    a, b = SyncService(reception), SyncService(counter)
    ticket = TicketService(reception).issue(FLOOR, "pin", "self")["ticket_id"]
    a.once()
    segment = own_segment(tmp_path, reception)
    data = segment.read_bytes()
    at = data.rfind(b"\n", 0, len(data) - 1) + 10  # inside the last record: the ticket
    with open(segment, "r+b") as f:  # at once, before the counter read it
        f.seek(at)
        f.write(bytes([data[at] ^ 0x01]))
    started = time.monotonic()
    while not has_ticket(counter, ticket):  # republished once the writer reads it back
        assert time.monotonic() - started < 10, "the damaged record was never written again"
        a.once()
        b.once()
        time.sleep(0.1)

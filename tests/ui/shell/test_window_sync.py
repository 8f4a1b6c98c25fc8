"""The window syncs in the background: other PCs' tickets appear; an offline banner shows."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.actor import Actor
from app.core.node import Node
from app.core.settings import load_settings
from app.printing.printer import NullPrinter
from app.queue.tickets import TicketService
from app.services import Services
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import site_node
from ui.reception.walk_in import ReceptionPanel
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts


def test_a_ticket_issued_at_reception_appears_at_the_counter(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    TicketService(reception).issue(Actor("fm", "floor_manager"), "pin", "self")
    SyncService(reception).once()
    window = MainWindow(Services.of(counter), Actor("cl", "clerk", "1"), Texts("ja"))
    qtbot.addWidget(window)
    assert window.sync is not None
    qtbot.waitUntil(lambda: window.model is not None and window.model.rowCount() == 1,
                    timeout=10_000)  # fmt: skip
    assert window.last_sync is not None and not window.last_sync["offline"]
    assert window.banner.isHidden()
    assert "未送信 0件" in window.sync_label.text()
    window.close()
    reception.close()
    counter.close()


def test_the_offline_banner_shows_and_the_counter_keeps_working(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1", role="reception")
    (tmp_path / "share").rename(tmp_path / "gone")
    window = MainWindow(Services.of(counter), Actor("fm", "floor_manager"), Texts("ja"))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.last_sync is not None, timeout=10_000)
    assert not window.banner.isHidden()
    assert "オフライン" in window.banner.text() and "そのまま使えます" in window.banner.text()
    panel = window.walk_in
    assert isinstance(panel, ReceptionPanel)
    panel._printer = NullPrinter()
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    assert panel.number.text() == "A-1001"
    window.close()
    counter.close()


def _slow_rounds(node: Node) -> None:
    """Rounds every 30 s: within a test, only a wake starts another one."""
    (node.data_dir / "site.toml").write_text("[sync]\ninterval_seconds = 30\n", encoding="utf-8")
    node.settings = load_settings(node.data_dir / "site.toml")


def test_a_tap_goes_out_at_once_and_a_round_does_not_wake_itself(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    SyncService(counter).once()  # the counter's record is on the share: the reception hears it
    _slow_rounds(reception)
    window = MainWindow(Services.of(reception), Actor("fm", "floor_manager"), Texts("ja"))
    qtbot.addWidget(window)
    reports: list[dict[str, object]] = []
    changes: list[bool] = []
    assert window.sync is not None
    window.sync.report.connect(reports.append)
    window.hub.changed.connect(lambda: changes.append(True))
    # The first round writes what it heard of the counter, and the window sees the change …
    qtbot.waitUntil(lambda: len(reports) >= 1 and len(changes) >= 1, timeout=10_000)
    # … then a tap goes out at once, not in 30 s. Its round is the second: the change the
    # first round made did not start a round of its own.
    panel = window.walk_in
    assert isinstance(panel, ReceptionPanel)
    panel._printer = NullPrinter()
    panel.choose_procedure("pin")
    panel.choose_applicant("self")
    panel.tick_all()
    panel.issue()
    qtbot.waitUntil(lambda: len(reports) >= 2, timeout=10_000)
    assert len(reports) == 2, reports
    assert reports[1]["exported"] >= 1 and reports[1]["waiting"] == 0, reports[1]
    window.close()
    SyncService(counter).once()
    assert counter.store.row("SELECT count(*) AS n FROM tickets")["n"] == 1
    reception.close()
    counter.close()


def test_with_the_share_gone_a_ticket_reaches_the_counters_window_over_the_lan(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    import threading

    from app.lan.path import LanPath

    reception = site_node(tmp_path, "reception", clock, block=0, role="reception")
    counter = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    path = LanPath(reception)  # the reception PC's LAN path, served in a thread of its own
    assert path.open()
    stop = threading.Event()
    serving = threading.Thread(target=path.run, args=(stop.is_set,), daemon=True)
    serving.start()
    SyncService(reception).once()  # it announces its address on the share
    window = MainWindow(Services.of(counter), Actor("cl", "clerk", "1"), Texts("ja"))
    qtbot.addWidget(window)
    assert window.lan is not None

    def hears_reception() -> bool:
        row = counter.store.row("SELECT lan_up FROM sync_nodes WHERE name = 'reception'")
        return row is not None and row["lan_up"] == 1

    qtbot.waitUntil(hears_reception, timeout=10_000)
    (tmp_path / "share").rename(tmp_path / "share-away")  # the file server goes down
    news: list[bool] = []
    window.lan.news.connect(lambda: news.append(True))
    TicketService(reception).issue(Actor("fm", "floor_manager"), "pin", "self")
    path.wake()
    qtbot.waitUntil(lambda: window.model is not None and window.model.rowCount() == 1,
                    timeout=5_000)  # fmt: skip
    assert news  # the window looked because the LAN told it, not at its next poll
    stop.set()
    path.wake()
    serving.join(timeout=5)
    window.close()
    path.close()
    reception.close()
    counter.close()

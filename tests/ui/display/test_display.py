"""The display board and its announcements (FQM #138: a second call never cuts off the first).

The announcement queue runs on fake chime and voice backends (there is no sound device
here); the board runs on real nodes, three of them on one shared folder.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import wave
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics, QGuiApplication, QShortcut
from PySide6.QtWidgets import QApplication, QStatusBar
from pytestqt.qtbot import QtBot

import ui.display.announcer
from app.core.actor import Actor
from app.core.i18n import CODES, FAMILIES, language
from app.core.node import Node
from app.queue.calls import Call, sentence, spoken_number
from app.queue.tickets import TicketService
from app.services import Services
from app.sync.service import SyncService
from tests.helpers.clock import FakeClock
from tests.helpers.nodes import make_node, site_node
from ui.display.announcer import (
    Announcer,
    QtChime,
    QtVoice,
    SilentChime,
    chime_path,
    default_announcer,
)
from ui.display.board import DisplayBoard, next_language, public_name
from ui.shell.application import application
from ui.shell.main_window import MainWindow
from ui.shell.signin import SignInDialog
from ui.widgets.fit_label import FitLabel
from ui.widgets.hub import Hub
from ui.widgets.i18n import Texts

FLOOR = Actor("fm", "floor_manager")
SOUNDS = Path(__file__).resolve().parents[3] / "resources" / "sounds"


class Speaker:
    """Fake chime and voice in one: records each step and finishes it when told to.

    It fails the test if a step starts while another is still playing (a cut-off).
    """

    def __init__(self, auto: bool = False, langs: tuple[str, ...] = ("ja", "en")) -> None:
        self.auto, self.langs = auto, langs
        self.log: list[str] = []
        self.playing: Callable[[], None] | None = None

    def _start(self, what: str, done: Callable[[], None]) -> None:
        assert self.playing is None, f"{what} cut off the step before it"
        self.log.append(what)
        if self.auto:
            done()
        else:
            self.playing = done

    def finish(self) -> None:
        done, self.playing = self.playing, None
        assert done is not None, "nothing is playing"
        done()

    def play(self, done: Callable[[], None]) -> None:
        self._start("chime", done)

    def speaks(self, lang: str) -> bool:
        return lang in self.langs

    def say(self, text: str, lang: str, done: Callable[[], None]) -> None:
        self._start(f"{lang}: {text}", done)


def call(number: str, counter: str, count: int = 1) -> Call:
    return Call(number, counter, "general", count, called_at=1000)


# -- the announcement queue ------------------------------------------------------------------


def test_numbers_are_read_as_letter_and_number() -> None:
    assert spoken_number("A-012") == "A 12"
    assert spoken_number("C-2001") == "C 2001"
    assert spoken_number("k007") == "K 7"
    assert sentence(call("A-012", "3"), "ja") == "受付番号 A 12番の方、3番窓口へお越しください"
    assert sentence(call("A-012", "3"), "en") == "Ticket number A 12, please come to counter 3"


def test_three_calls_are_announced_whole_and_in_order(qtbot: QtBot) -> None:
    speaker = Speaker()
    announcer = Announcer(speaker, speaker)
    started: list[Call] = []
    finished: list[Call] = []
    announcer.started.connect(started.append)
    announcer.finished.connect(finished.append)
    announcer.announce(call("A-001", "1"))
    assert speaker.log == ["chime"]
    speaker.finish()  # the chime ends: Japanese begins
    assert announcer.announce(call("A-002", "2"))  # arrives mid-sentence: it waits
    assert announcer.announce(call("A-003", "3"))
    assert [c.number for c in announcer.pending] == ["A-002", "A-003"]
    while speaker.playing is not None:
        speaker.finish()
    assert speaker.log == [
        "chime", "ja: 受付番号 A 1番の方、1番窓口へお越しください",
        "en: Ticket number A 1, please come to counter 1",
        "chime", "ja: 受付番号 A 2番の方、2番窓口へお越しください",
        "en: Ticket number A 2, please come to counter 2",
        "chime", "ja: 受付番号 A 3番の方、3番窓口へお越しください",
        "en: Ticket number A 3, please come to counter 3",
    ]  # fmt: skip
    assert (
        [c.number for c in started] == [c.number for c in finished] == ["A-001", "A-002", "A-003"]
    )
    assert announcer.current is None and announcer.pending == []


def test_a_duplicate_is_not_queued_but_a_recall_is(qtbot: QtBot) -> None:
    speaker = Speaker()
    announcer = Announcer(speaker, speaker, english=False)
    assert announcer.announce(call("A-012", "3"))
    assert not announcer.announce(call("A-012", "3"))  # the same call seen again (a re-sync)
    assert announcer.announce(call("A-012", "3", count=2))  # the counter recalled
    while speaker.playing is not None:
        speaker.finish()
    assert speaker.log == ["chime", "ja: 受付番号 A 12番の方、3番窓口へお越しください"] * 2
    assert not announcer.announce(call("A-012", "3", count=2))  # already made


def test_without_a_voice_only_the_chime_plays(qtbot: QtBot) -> None:
    speaker = Speaker(auto=True)
    announcer = Announcer(speaker, None)
    for n in range(3):
        announcer.announce(call(f"A-00{n}", "1"))
    assert speaker.log == ["chime"] * 3 and announcer.current is None


def test_english_is_optional_and_needs_an_english_voice(qtbot: QtBot) -> None:
    only_ja = Speaker(auto=True, langs=("ja",))
    Announcer(only_ja, only_ja).announce(call("A-001", "1"))
    assert [line[:3] for line in only_ja.log] == ["chi", "ja:"]
    no_english = Speaker(auto=True)
    Announcer(no_english, no_english, english=False).announce(call("A-001", "1"))
    assert [line[:3] for line in no_english.log] == ["chi", "ja:"]


def test_backends_that_finish_at_once_drain_a_long_queue(qtbot: QtBot) -> None:
    speaker = Speaker(auto=True)
    announcer = Announcer(speaker, speaker)
    gc.collect()  # earlier tests' garbage, collected during the loop, would drop the count
    trues = sys.getrefcount(True)
    for n in range(500):
        announcer.announce(call(f"A-{n:03d}", str(n % 9 + 1)))
    assert len(speaker.log) == 1500 and announcer.current is None
    # No Qt Signal.emit(): in PySide6 6.12.0 each one drops a reference to True (a crash
    # in the end); plain hooks do not.
    assert sys.getrefcount(True) >= trues - 10


def test_a_call_made_while_an_announcement_ends_keeps_its_turn(qtbot: QtBot) -> None:
    speaker = Speaker()
    announcer = Announcer(speaker, None)
    started: list[str] = []
    announcer.started.connect(lambda c: started.append(c.number))
    announcer.finished.connect(lambda c: announcer.announce(call("B-001", "9")))
    announcer.announce(call("A-001", "1"))
    announcer.announce(call("A-002", "2"))
    speaker.finish()  # A-001 ends; its handler queues B-001 behind A-002
    assert started == ["A-001", "A-002"] and [c.number for c in announcer.pending] == ["B-001"]
    speaker.finish()
    speaker.finish()
    assert started == ["A-001", "A-002", "B-001"] and speaker.log == ["chime"] * 3
    assert announcer.current is None


def test_a_backend_that_never_finishes_does_not_stop_the_queue(qtbot: QtBot) -> None:
    speaker = Speaker()
    announcer = Announcer(speaker, None, step_timeout_ms=50)
    announcer.announce(call("A-001", "1"))
    stuck, speaker.playing = speaker.playing, None  # the device hangs: no "finished" ever
    announcer.announce(call("A-002", "2"))
    qtbot.waitUntil(lambda: speaker.log == ["chime", "chime"], timeout=2000)
    assert stuck is not None
    stuck()  # a late report of the step that timed out changes nothing
    assert announcer.current is not None and announcer.current.number == "A-002"
    speaker.finish()
    assert announcer.current is None


def test_missing_qt_sound_modules_mean_silence_not_failure(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # import fails
    monkeypatch.setitem(sys.modules, "PySide6.QtTextToSpeech", None)
    chime = QtChime()
    done: list[bool] = []
    chime.play(lambda: done.append(True))
    assert done == [True] and not chime.prepare()
    assert QtVoice.create() is None
    announcer = Announcer(chime, QtVoice.create())
    announcer.announce(call("A-001", "1"))
    assert announcer.current is None  # chime only, and the chime is silent


@pytest.mark.qt_log_ignore("pipewire")  # QtMultimedia looks for PipeWire, then uses PulseAudio
def test_the_qt_voice_speaks_and_reports_its_end(qtbot: QtBot) -> None:
    """Qt's own test engine ("mock": English voices, no audio) through the real QtVoice."""
    try:
        voice = QtVoice.create("mock")
    except ImportError:  # pragma: no cover - depends on the machine's audio libraries
        voice = None
    if voice is None:
        pytest.skip("QtTextToSpeech (PySide6-Addons and its system libraries) not loadable")
    assert voice.speaks("en") and not voice.speaks("ja")
    announcer = Announcer(SilentChime(), voice)
    finished: list[Call] = []
    announcer.finished.connect(finished.append)
    announcer.announce(call("A-012", "3"))
    announcer.announce(call("A-013", "4"))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert [c.number for c in finished] == ["A-012", "A-013"]


def test_offscreen_the_board_is_silent(qtbot: QtBot) -> None:
    assert QGuiApplication.platformName() == "offscreen"
    announcer = default_announcer()
    assert isinstance(announcer.chime, SilentChime) and announcer.voice is None


def test_the_bundled_chime_is_small_and_made_by_its_script(tmp_path: Path) -> None:
    path = chime_path()
    assert path == SOUNDS / "chime.wav" and path.stat().st_size < 100_000
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44_100)
        assert wav.getnframes() == int(0.8 * 44_100)
    script = f"import sys; sys.path.insert(0, {str(SOUNDS)!r}); import make_chime; "
    script += f"make_chime.main(__import__('pathlib').Path({str(tmp_path / 'c.wav')!r}))"
    subprocess.run([sys.executable, "-c", script], check=True)
    assert (tmp_path / "c.wav").read_bytes() == path.read_bytes()


# -- the board -------------------------------------------------------------------------------


def make_board(qtbot: QtBot, node: Node, **options: int) -> tuple[DisplayBoard, list[Call]]:
    """Returns a board on ``node`` with fake sound, and the list of calls it announces."""
    speaker = Speaker(auto=True)
    announcer = Announcer(speaker, speaker)
    heard: list[Call] = []
    announcer.started.connect(heard.append)
    hub = Hub(node.data_version)
    board = DisplayBoard(Services.of(node).board(), Texts("ja"), hub, announcer, **options)
    board.hub = hub  # type: ignore[attr-defined]
    qtbot.addWidget(board)
    return board, heard


def sync(*nodes: Node) -> None:
    for _ in range(2):  # out and back in: everyone has everyone's events
        for node in nodes:
            assert not SyncService(node).once().offline


def test_calls_of_two_counters_appear_on_the_display_of_the_site(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    one = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    two = site_node(tmp_path, "counter-2", clock, block=2, counter="2")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    first = TicketService(one).issue(FLOOR, "pin", "self")["number"]
    second = TicketService(one).issue(FLOOR, "certificate", "self")["number"]
    sync(one, two, display)
    board, heard = make_board(qtbot, display)
    assert board.calls_shown() == [] and board.idle.text().startswith("番号をお呼び")
    assert "一般窓口  2人" in board.waiting.text()
    clock.advance(minutes=1)
    TicketService(one).call(Actor("cl", "clerk", "1"), first)
    clock.advance(seconds=20)
    TicketService(two).call(Actor("cl", "clerk", "2"), second)
    sync(one, two, display)
    board.hub.notify()  # type: ignore[attr-defined]
    assert board.calls_shown() == [(second, "2"), (first, "1")]  # the newest on top
    assert [(c.number, c.counter) for c in heard] == [(first, "1"), (second, "2")]
    assert [r[0].text() for r in board.rows[:2]] == [second, first]
    assert [r[2].text() for r in board.rows[:2]] == ["2番窓口", "1番窓口"]
    assert "一般窓口  0人" in board.waiting.text() and board.idle.text() == ""
    board.hub.notify()  # type: ignore[attr-defined]  # nothing new: nothing said again
    assert len(heard) == 2
    for node in (one, two, display):
        node.close()


def calling_node(tmp_path: Path, clock: FakeClock, calls: int) -> tuple[Node, list[str]]:
    node = make_node(tmp_path / "display", clock, role="display")
    service = TicketService(node)
    numbers = [service.issue(FLOOR, ("pin", "certificate", "loss")[i % 3], "self")["number"]
               for i in range(calls + 4)]  # fmt: skip
    for i, number in enumerate(numbers[:calls]):
        service.call(Actor("cl", "clerk", str(i + 1)), number)
        clock.advance(seconds=30)
    return node, numbers


def test_calls_on_the_board_at_startup_are_not_announced_but_a_recall_is(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node, numbers = calling_node(tmp_path, clock, 2)
    board, heard = make_board(qtbot, node)
    assert board.calls_shown() == [(numbers[1], "2"), (numbers[0], "1")]
    assert heard == [] and board.flashing is None
    TicketService(node).recall(Actor("cl", "clerk", "1"), numbers[0])
    board.refresh()
    assert [(c.number, c.call_count) for c in heard] == [(numbers[0], 2)]
    assert board.calls_shown()[0] == (numbers[0], "1")  # recalled: on top again, flashing
    assert board.flashing == board.current[0]["ticket_id"]
    TicketService(node).call(Actor("cl", "clerk", "3"), numbers[2])
    board.refresh()
    assert [(c.number, c.counter) for c in heard][1:] == [(numbers[2], "3")]
    node.close()


def lit(board: DisplayBoard, row: int) -> bool:
    return "background: #ffe000" in board.rows[row][0].styleSheet()


def test_a_fresh_call_flashes_for_a_while(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    node, numbers = calling_node(tmp_path, clock, 1)
    board, _ = make_board(qtbot, node, flash_ms=400, blink_ms=50)
    assert not lit(board, 0)
    TicketService(node).call(Actor("cl", "clerk", "2"), numbers[1])
    board.refresh()
    assert board.calls_shown()[0] == (numbers[1], "2")
    assert board.flash_on and lit(board, 0) and not lit(board, 1)
    board.blink()
    assert not board.flash_on and not lit(board, 0)
    board.blink()
    assert board.flash_on and lit(board, 0)
    qtbot.waitUntil(lambda: board.flashing is None, timeout=3000)
    assert not board.flash_on and not lit(board, 0)
    node.close()


def test_the_texts_alternate_between_japanese_and_english(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node, numbers = calling_node(tmp_path, clock, 1)
    board, _ = make_board(qtbot, node, switch_ms=60)
    assert board.heading.text() == "お呼び出し中の番号" and board.rows[0][2].text() == "1番窓口"
    assert "一般窓口" in board.waiting.text()
    qtbot.waitUntil(lambda: board.heading.text() == "Now calling", timeout=3000)
    assert board.rows[0][2].text() == "Counter 1" and board.rows[0][0].text() == numbers[0]
    assert "General counter" in board.waiting.text() and "contractor" not in board.waiting.text()
    qtbot.waitUntil(lambda: board.heading.text() == "お呼び出し中の番号", timeout=3000)
    assert public_name("一般窓口（委託）") == "一般窓口"
    node.close()


def clipped(board: DisplayBoard) -> list[str]:
    return [label.text() for label in board.findChildren(FitLabel)
            if label.text() and not label.fits()]  # fmt: skip


@pytest.mark.parametrize(("width", "height", "cap"), [(1920, 1080, 120), (1280, 720, 72),
                                                       (1080, 1920, 80)])  # fmt: skip
def test_the_board_fills_each_screen_and_never_cuts_a_number(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock, width: int, height: int, cap: int
) -> None:
    application()  # the bundled Japanese font, as the program has it
    node, numbers = calling_node(tmp_path, clock, 6)
    TicketService(node).start(Actor("cl", "clerk", "1"), numbers[0])
    board, _ = make_board(qtbot, node)
    TicketService(node).call(Actor("cl", "clerk", "1"), numbers[6])
    board.refresh()  # a fresh call: flashing
    board.resize(width, height)
    board.show()
    qtbot.waitExposed(board)
    image = board.grab()
    assert (image.width(), image.height()) == (width, height)
    assert board.portrait == (height > width)
    caps = [QFontMetrics(number.font()).capHeight() for number, _, _ in board.rows]
    assert min(caps) >= cap  # readable from 8 m
    assert clipped(board) == []
    # The widest texts fit in both languages: four-digit numbers, two-digit counters.
    board.current = [{"ticket_id": str(i), "number": n, "counter": "12"}
                     for i, n in enumerate(("C-2001", "A-1001", "K-1999", "A-012"))]  # fmt: skip
    board.recent = [{"ticket_id": "r", "number": "C-2001", "counter": "12"}] * 8
    shown = []
    for _ in range(14):  # every language, with Japanese between them
        board.switch_language()
        shown.append(board.lang)
        assert [r[0].text() for r in board.rows] == ["C-2001", "A-1001", "K-1999", "A-012"]
        assert clipped(board) == [], board.lang
        for label in (board.rows[0][0], board.rows[0][2], board.recent_rows[0][0]):
            text_width = QFontMetrics(label.font()).horizontalAdvance(label.text())
            assert 0 < text_width <= label.contentsRect().width()
    assert set(shown) == set(CODES) and shown[1::2] == ["ja"] * 7
    node.close()


def test_the_board_cycles_its_languages_with_japanese_between() -> None:
    order, shown, last = [], "ja", "tl"
    for _ in range(16):
        shown = next_language(shown, last)
        last = shown if shown != "ja" else last
        order.append(shown)
    assert order[:14] == ["en", "ja", "zh", "ja", "ko", "ja", "vi", "ja", "pt", "ja", "es",
                          "ja", "tl", "ja"]  # fmt: skip
    assert order[14] == "en"


def test_the_display_window_shows_the_board(qtbot: QtBot, tmp_path: Path, clock: FakeClock) -> None:
    node, _ = calling_node(tmp_path, clock, 1)
    window = MainWindow(Services.of(node), None, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    assert isinstance(window.panel, DisplayBoard) and window.model is None
    assert isinstance(window.panel.announcer.chime, SilentChime)  # offscreen: no sound
    window.close()
    node.close()


def test_announcer_module_stays_free_of_sound_imports() -> None:
    """QtMultimedia / QtTextToSpeech load only when a real board first needs them."""
    source = Path(ui.display.announcer.__file__).read_text(encoding="utf-8")
    top = source.split("\nclass ")[0]
    assert (
        "QtMultimedia" not in top.split('"""')[-1] and "QtTextToSpeech" not in top.split('"""')[-1]
    )


def test_a_new_day_starts_with_an_empty_board(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node, _ = calling_node(tmp_path, clock, 2)
    board, heard = make_board(qtbot, node)
    assert len(board.calls_shown()) == 2
    clock.advance(minutes=24 * 60)
    board.show_clock()  # the hub's tick, once a second
    assert board.calls_shown() == [] and board.recent == [] and heard == []
    node.close()


def age(share: Path, node: Node, seconds: float) -> None:
    """Makes a PC's heartbeat on the share as old as a PC silent for ``seconds`` has."""
    beat = next(share.rglob(f"registry/{node.identity.node_id}.json"))
    os.utime(beat, (beat.stat().st_mtime - seconds,) * 2)


def test_the_board_tells_the_room_when_it_hears_nothing_from_the_counters(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    one = site_node(tmp_path, "counter-1", clock, block=1, counter="1")
    display = site_node(tmp_path, "display", clock, block=3, role="display", staff=False)
    number = TicketService(one).issue(FLOOR, "pin", "self")["number"]
    TicketService(one).call(Actor("cl", "clerk", "1"), number)
    sync(one, display)
    board, heard = make_board(qtbot, display)
    board.check_link()
    assert board.calls_shown() == [(number, "1")] and not board.silent
    assert board.mark.text() == ""  # all is well: no staff mark
    # The counter PC falls silent (cut off from the share) for longer than the threshold.
    clock.advance(seconds=90)
    age(tmp_path / "share", one, 90)
    assert not SyncService(display).once().offline
    board.check_link()
    assert board.silent
    assert board.idle.text() == "ただいま窓口で直接お呼びしています"
    assert [r[0].text() for r in board.rows] == ["", "", "", ""]  # no stale call shown
    assert "窓口受信なし" in board.mark.text()
    # It is back: its calls are shown (and announced) again.
    clock.advance(seconds=5)
    sync(one, display)
    board.check_link()
    assert not board.silent and board.rows[0][0].text() == number and board.idle.text() == ""
    assert heard == []  # the call was there before; nothing new to announce
    for node in (one, display):
        node.close()


def test_staff_states_are_a_small_mark_not_a_banner(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node, _ = calling_node(tmp_path, clock, 1)
    window = MainWindow(Services.of(node), None, Texts("ja"), sync=False)
    qtbot.addWidget(window)
    board = window.panel
    assert isinstance(board, DisplayBoard)
    window.show_sync({"offline": True, "waiting": 3, "message": "共有フォルダに接続できません"})
    assert board.mark.text() == "● 共有× 未送信3"
    assert board.mark.max_px() < board.rows[0][0].max_px() / 5  # discreet
    assert window.menuWidget() is None and window.findChildren(QStatusBar) == []
    window.show_sync({"offline": False, "waiting": 0})
    assert board.mark.text() == ""
    window.close()
    node.close()


def test_the_kiosk_board_closes_only_with_a_staff_pin(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    node, _ = calling_node(tmp_path, clock, 1)
    window = MainWindow(Services.of(node), None, Texts("ja"), sync=False, kiosk=True)
    qtbot.addWidget(window)
    window.show()
    answers = iter([("fm", "0000"), ("fm", "1111")])

    def answer() -> None:  # types into the PIN dialog once it is open
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(10, answer)
            return
        staff, pin = next(answers)
        dialog.staff_id.setText(staff)
        dialog.pin.setText(pin)
        dialog.try_sign_in()
        if dialog.isVisible():  # a wrong PIN: the dialog stays; the person gives up
            assert "違います" in dialog.error.text()
            dialog.reject()

    QTimer.singleShot(0, answer)
    assert not window.close()  # closing a kiosk asks first: a wrong PIN keeps it open
    qtbot.waitUntil(lambda: not isinstance(QApplication.activeModalWidget(), SignInDialog))
    assert window.isVisible()
    QTimer.singleShot(0, answer)
    press_escape = next(s for s in window.findChildren(QShortcut) if s.key().toString() == "Esc")
    press_escape.activated.emit()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert [e.type for e in node.store.events("type LIKE 'staff.%'")][-1] == "staff.signin_failed"
    node.close()


def test_each_language_is_drawn_in_its_font_and_the_numbers_never_change(
    qtbot: QtBot, tmp_path: Path, clock: FakeClock
) -> None:
    application()  # the bundled fonts, as the program has them
    node, _ = calling_node(tmp_path, clock, 2)
    board, _ = make_board(qtbot, node)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitExposed(board)
    number = board.rows[0][0]
    first = (number.font().family(), number.font().pixelSize())
    seen = set()
    for _ in range(14):
        board.switch_language()
        family = FAMILIES[language(board.lang).font]
        assert board.heading.font().family() == family, board.lang  # Vietnamese accents fit
        assert board.waiting.font().family() == family
        assert (number.font().family(), number.font().pixelSize()) == first  # no jump
        assert clipped(board) == [], board.lang
        seen.add(family)
    assert len(seen) == 3
    node.close()

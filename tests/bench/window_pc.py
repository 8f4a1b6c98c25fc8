"""One PC of the propagation benchmarks: the real window of a PC, run as its own process.

``python -m tests.bench.window_pc DATA_DIR ROLE CONTROL_DIR [TAPS [SLOT PCS STEP_MS]]``

The window is made as ``madoguchi run`` makes it (services, the staff member signed in from
``MADOGUCHI_STAFF``/``MADOGUCHI_PIN``, the background sync rounds and the LAN path of the
PC's settings). It prints ``ready`` after its first sync round (and, with ``READY_LAN=N`` in
its environment, once its LAN path hears N other PCs). Then, by ROLE:

- an issuer waits for ``CONTROL_DIR/go`` and taps TAPS walk-in tickets through the reception
  panel as a floor manager does (procedure, applicant, documents ticked, issue), printing
  ``issued TICKET_ID T`` with T the system-wide monotonic clock at the tap;
- a watcher prints ``seen TICKET_ID T`` when a ticket first appears in its window's queue
  model (the table the clerk sees);
- a caller (a counter) presses F1 TAPS times after ``CONTROL_DIR/go`` (which holds the
  monotonic clock of go): the caller in SLOT of PCS presses STEP_MS × SLOT after go, then
  every STEP_MS × PCS, so the counters take turns; it prints ``called TICKET_ID COUNTER T``;
- a board (the display board) prints ``shown TICKET_ID COUNTER T`` when a call first shows
  among the board's large rows, and ``voiced NUMBER COUNTER T`` when its announcement
  starts (the chime, then the voice).

All stop when ``CONTROL_DIR/stop`` appears.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from app.core.node import Node
from app.services import Services
from ui.shell.application import application, preset_actor
from ui.shell.main_window import MainWindow
from ui.widgets.i18n import Texts


def say(*words: object) -> None:
    print(*words, flush=True)


def main() -> int:
    data, role, control = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    taps = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    slot, pcs, step_ms = (int(x) for x in sys.argv[5:8]) if len(sys.argv) > 7 else (0, 1, 0)
    node = Node(data)
    app = application()
    actor = None if role == "board" else preset_actor(node)
    window = MainWindow(Services.of(node), actor, Texts("ja"))
    window.resize(1280, 800)
    window.show()
    assert window.sync is not None, "the PC has no shared folder"
    seen: set[str] = set()
    ready = False
    rounds = 0
    lan_wanted = int(os.environ.get("READY_LAN", "0"))

    def hears() -> int:
        row = node.store.row("SELECT count(*) AS n FROM sync_nodes WHERE lan_up = 1")
        return int((row or {}).get("n") or 0)

    def first_round(_report: object = None) -> None:
        nonlocal ready, rounds
        rounds += 1 if _report is not None else 0
        if not ready and rounds and hears() >= lan_wanted:
            ready = True
            say("ready")

    window.sync.report.connect(first_round)
    window.hub.tick.connect(first_round)

    def look() -> None:
        model = window.model
        assert model is not None
        for row in range(model.rowCount()):
            key = str(model.key(row))
            if key not in seen:
                seen.add(key)
                if ready:
                    say("seen", key, time.monotonic())

    if role == "watcher":
        assert window.model is not None
        for signal in (window.model.rowsInserted, window.model.modelReset):
            signal.connect(look)
        look()

    if role == "board":
        board = window.board
        assert board is not None
        shown: set[tuple[str, str]] = set()

        def board_look() -> None:
            if not ready or board.silent:
                return
            for row in board.current:
                call = (str(row["ticket_id"]), str(row["counter"]))
                if call not in shown:
                    shown.add(call)
                    say("shown", *call, time.monotonic())

        def voiced(call: Any) -> None:
            if ready:
                say("voiced", call.number, call.counter, time.monotonic())

        window.hub.changed.connect(board_look)  # after the board's own refresh
        board.announcer.started.connect(voiced)

    rng = random.Random(7)
    left = taps
    if role == "caller":
        panel = window.counter_panel

        def press() -> None:
            nonlocal left
            started = time.monotonic()
            panel.run("call_next")  # F1
            call = node.store.row(  # the call this press recorded (it may lose a conflict)
                "SELECT ticket_id, counter FROM events WHERE node_id = ? "
                "AND type = 'ticket.called' ORDER BY seq DESC LIMIT 1",
                (node.identity.node_id,),
            )
            if call is not None and call["ticket_id"] not in seen:
                seen.add(call["ticket_id"])
                say("called", call["ticket_id"], call["counter"], started)
            left -= 1
            if left > 0:
                press_at(taps - left)

        def press_at(k: int) -> None:
            """Presses for the k-th time at its own moment after go (the counters keep
            their turns: no drift of one towards the next)."""
            due = go_at + (slot + k * pcs) * step_ms / 1000
            QTimer.singleShot(max(0, round((due - time.monotonic()) * 1000)), press)

    def tap() -> None:
        nonlocal left
        panel = window.walk_in
        panel._confirm = lambda question: True  # after hours, the floor manager says yes
        started = time.monotonic()
        panel.choose_procedure("pin")
        panel.choose_applicant("self")
        panel.tick_all()
        panel.issue()
        assert panel.last is not None, panel.error.text()
        say("issued", panel.last["ticket_id"], started)
        left -= 1
        if left > 0:  # 0.8–1.8 s apart, so taps fall at every phase of the others' rounds
            QTimer.singleShot(int(rng.uniform(800, 1800)), tap)

    going = False
    go_at = 0.0  # the system-wide monotonic clock at go (written in the go file)

    def control_files() -> None:
        nonlocal going, go_at
        if (control / "stop").exists():
            window.leaving = True  # a counter with a visitor called closes without asking
            app.quit()
        elif not going and taps and (control / "go").exists():
            going = True
            if role == "issuer":
                tap()
            elif role == "caller":
                go_at = float((control / "go").read_text() or time.monotonic())
                press_at(0)

    poll = QTimer()
    poll.timeout.connect(control_files)
    poll.start(50)
    app.exec()
    window.close()
    node.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One PC of the propagation benchmark: the real window of a PC, run as its own process.

``python -m tests.bench.window_pc DATA_DIR issuer|watcher CONTROL_DIR [TAPS]``

The window is made as ``madoguchi run`` makes it (services, the staff member signed in from
``MADOGUCHI_STAFF``/``MADOGUCHI_PIN``, the background sync rounds of the PC's settings). It
prints ``ready`` after its first sync round. Then:

- an issuer waits for ``CONTROL_DIR/go`` and taps TAPS walk-in tickets through the reception
  panel as a floor manager does (procedure, applicant, documents ticked, issue), printing
  ``issued TICKET_ID T`` with T the system-wide monotonic clock at the tap;
- a watcher prints ``seen TICKET_ID T`` when a ticket first appears in its window's queue
  model (the table the clerk sees).

Both stop when ``CONTROL_DIR/stop`` appears.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

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
    node = Node(data)
    app = application()
    window = MainWindow(Services.of(node), preset_actor(node), Texts("ja"))
    window.resize(1280, 800)
    window.show()
    assert window.sync is not None, "the PC has no shared folder"
    seen: set[str] = set()
    ready = False

    def first_round(_report: object) -> None:
        nonlocal ready
        if not ready:
            ready = True
            say("ready")

    window.sync.report.connect(first_round)

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

    rng = random.Random(7)
    left = taps

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

    def control_files() -> None:
        if (control / "stop").exists():
            app.quit()
        elif role == "issuer" and left == taps and taps and (control / "go").exists():
            tap()

    poll = QTimer()
    poll.timeout.connect(control_files)
    poll.start(50)
    app.exec()
    window.close()
    node.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One PC of the randomized fault harness: a real process with its own data folder.

It reads one command a line (JSON) on stdin and answers one line on stdout, after the
command's transaction has committed — what the person at the PC would have seen. The
controller (:mod:`tests.faults.harness`) kills it with SIGKILL whenever it likes.

Its LAN path runs in a thread of its own, as in a window, on the controller's clock: it
is woken after every command and serves the packets the whole time.

Commands: ``{"op": ..., "now": epoch ms, ...}`` with ``op`` one of issue, call_next,
recall, start, done, noshow, cancel, reopen, hold, resume, transfer, sync, dump, rebuild,
tickets, lan, quit. Answers: ``{"ok": true, ...}``, ``{"ok": false, "refused": message}``
for a user error, ``{"ok": false, "bug": trace}`` for anything else.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
import traceback
from pathlib import Path
from typing import Any

from app.core.actor import Actor
from app.core.errors import UserError
from app.core.node import Node
from app.lan.path import LanPath
from app.queue.tickets import TicketService
from app.sync.service import SyncService


class Clock:
    """The controller's clock: every command says what time it is."""

    def __init__(self) -> None:
        self.ms = 0

    def __call__(self) -> int:
        return self.ms


def dump(node: Node) -> dict[str, Any]:
    """Returns what the checks compare: a digest of every projection and the tickets."""
    node.store.conn.execute("BEGIN")  # one moment: the LAN thread may apply meanwhile
    try:
        return _dump(node)
    finally:
        node.store.conn.execute("COMMIT")


def tickets_digest(node: Node) -> dict[str, Any]:
    """Returns a digest of the tickets table alone (what the LAN carries)."""
    rows = node.store.conn.execute("SELECT * FROM tickets ORDER BY ticket_id").fetchall()
    return {"digest": hashlib.sha256(repr(rows).encode()).hexdigest(), "tickets": len(rows)}


def lan_thread(data_dir: Path, clock: Clock) -> LanPath | None:
    """Starts the PC's LAN path in a thread, as a window does; None when it has none."""
    node = Node(data_dir, wall_ms=clock)
    if not node.settings.lan.enabled:
        node.close()
        return None
    path = LanPath(node)
    if not path.open():
        raise RuntimeError(path.status.problem)
    threading.Thread(target=path.run, args=(lambda: False,), daemon=True).start()
    return path


def _dump(node: Node) -> dict[str, Any]:
    tables = node.store.projection_dump()
    digest = hashlib.sha256(repr(sorted(tables.items())).encode()).hexdigest()
    tickets = node.store.rows("SELECT ticket_id, number, lane, day, state FROM tickets")
    own = node.identity.node_id
    waiting = node.store.row("SELECT count(*) AS n FROM events WHERE node_id = ? AND seq > ?",
                             (own, int(node.store.get_meta("exported_seq") or 0)))  # fmt: skip
    return {"digest": digest, "tickets": tickets, "events": node.store.event_count(),
            "waiting": int((waiting or {}).get("n") or 0), "halted": node.halted()}  # fmt: skip


def serve(data_dir: Path, counter: str) -> None:
    clock = Clock()
    node = Node(data_dir, wall_ms=clock)
    lan = lan_thread(data_dir, clock)
    tickets = TicketService(node)
    sync = SyncService(node)
    floor = Actor("fm", "floor_manager", counter)
    clerk = Actor("cl", "clerk", counter)
    for line in sys.stdin:
        command = json.loads(line)
        clock.ms = int(command["now"])
        op = command["op"]
        try:
            answer: dict[str, Any] = {"ok": True}
            if op == "issue":
                row = tickets.issue(floor, command["procedure"], command["applicant"])
                answer.update(ticket_id=row["ticket_id"], number=row["number"])
            elif op == "call_next":
                called = tickets.call_next(clerk)
                answer.update(ticket_id=None if called is None else called["ticket_id"])
            elif op == "transfer":
                new = tickets.transfer(clerk, command["ticket_id"], command["lane"], "回付")
                answer.update(ticket_id=new["ticket_id"], number=new["number"])
            elif op in ("recall", "start", "noshow", "hold", "resume"):
                getattr(tickets, op)(clerk, command["ticket_id"])
            elif op == "done":
                tickets.done(clerk, command["ticket_id"], command.get("outcome", "completed"))
            elif op in ("cancel", "reopen"):
                getattr(tickets, op)(clerk, command["ticket_id"], "理由")
            elif op == "sync":
                report = sync.once()
                answer.update(offline=report.offline, clone=report.clone_alarm,
                              republished=report.republished, problems=len(report.problems))  # fmt: skip
            elif op == "dump":
                answer.update(dump(node))
            elif op == "rebuild":
                node.store.rebuild()
                answer.update(dump(node))
            elif op == "tickets":
                answer.update(tickets_digest(node))
            elif op == "lan":
                status = lan.snapshot() if lan is not None else None
                answer.update(received=status.received if status else 0,
                              applied=status.applied if status else 0,
                              ignored=status.ignored if status else {},
                              peers=status.peers if status else [])  # fmt: skip
            elif op == "quit":
                break
            else:
                answer = {"ok": False, "bug": f"unknown op {op}"}
        except UserError as exc:
            answer = {"ok": False, "refused": str(exc)}
        except Exception:
            answer = {"ok": False, "bug": traceback.format_exc()}
        if lan is not None:
            lan.wake()  # what the command wrote goes out now, as a window's write does
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    node.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2])

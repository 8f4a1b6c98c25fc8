"""A PC that issues tickets and exports them in a loop until it is killed.

Used by the kill test: it prints ``ACK <ticket_id> <number>`` only after the ticket has
committed, which is what the floor manager would have seen on screen.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.core.actor import Actor
from app.core.node import Node
from app.queue.tickets import TicketService
from app.sync.service import SyncService


def main(data_dir: str, count: int) -> None:
    node = Node(Path(data_dir))
    tickets = TicketService(node)
    sync = SyncService(node)
    floor = Actor("fm", "floor_manager")
    for i in range(count):
        # Sixty in a row overrun the day: the floor manager says yes to each.
        row = tickets.issue(floor, ("pin", "face_auth", "loss")[i % 3], "self", confirm_closed=True)
        sys.stdout.write(f"ACK {row['ticket_id']} {row['number']}\n")
        sys.stdout.flush()
        sync.once()
        time.sleep(0.01)  # a little pacing so kills land at every point of the loop


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))

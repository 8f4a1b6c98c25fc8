"""One sync round of a PC in a process of its own (run as another user by the fault tests).

Prints the round's report as JSON on stdout.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from app.core.node import Node
from app.sync.service import SyncService


def main(data_dir: str) -> None:
    node = Node(Path(data_dir))
    report = SyncService(node).once()
    node.close()
    sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

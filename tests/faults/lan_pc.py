"""A PC that only runs its LAN path, until it is killed: the display board's PC in the tests
that switch the board off (its process is killed with SIGKILL).

``python -m tests.faults.lan_pc DATA_DIR`` prints ``ready PORT`` once the path listens and
one sync round has announced it in the registry (and read the others' addresses).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.core.node import Node
from app.lan.path import LanPath
from app.sync.service import SyncService


def main(data_dir: str) -> int:
    node = Node(Path(data_dir))
    path = LanPath(node)
    if not path.open():
        print(f"failed {path.status.problem}", flush=True)
        return 1
    if node.identity.share_dir:
        SyncService(node).once()
    print(f"ready {path.status.port}", flush=True)
    path.run(lambda: False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

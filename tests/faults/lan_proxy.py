"""The LAN of the fault harness: a switch that loses, repeats, delays, reorders and replays
real UDP packets between real PC processes.

Each PC listens on a port of its own and announces, as the address the others reach it at,
a port of this switch (setting ``lan.address``); every packet for that PC goes through the
switch, which decides its fate:

- ``drop``: the share of packets lost;
- ``dup``: the share of packets delivered twice;
- ``delay``: each packet is held up to this many seconds (packets overtake each other);
- ``cut``: PCs whose cable is pulled (nothing to or from them);
- :meth:`Switch.replay` sends packets recorded earlier once more (a replay attack, or an
  old duplicate turning up).

It runs in a thread of the controller; :meth:`Switch.set` changes the faults at any time.
"""

from __future__ import annotations

import heapq
import random
import selectors
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field


def free_ports(count: int) -> list[int]:
    """Returns ports free on 127.0.0.1 now (taken by binding, then let go)."""
    sockets = []
    for _ in range(count):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [int(s.getsockname()[1]) for s in sockets]
    for sock in sockets:
        sock.close()
    return ports


@dataclass
class Faults:
    """How the switch treats packets now."""

    drop: float = 0.0
    dup: float = 0.0
    delay: float = 0.0
    cut: set[str] = field(default_factory=set)


class Switch:
    """Forwards packets for each PC from its switch port to its own port.

    Args:
        pcs: name → (switch port, the PC's own port).
        seed: the random seed of the faults.
    """

    def __init__(self, pcs: dict[str, tuple[int, int]], seed: int) -> None:
        self.rng = random.Random(seed)
        self.faults = Faults()
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._selector = selectors.DefaultSelector()
        self._to: dict[int, tuple[str, int]] = {}
        self._port_of: dict[int, str] = {}  # a PC's own port → its name
        self._sockets: dict[str, socket.socket] = {}
        for name, (switch_port, own_port) in pcs.items():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", switch_port))
            sock.setblocking(False)
            self._selector.register(sock, selectors.EVENT_READ, name)
            self._sockets[name] = sock
            self._to[sock.fileno()] = (name, own_port)
            self._port_of[own_port] = name
        self._held: list[tuple[float, int, str, bytes]] = []
        self._recorded: deque[tuple[str, bytes]] = deque(maxlen=500)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lan-switch", daemon=True)
        self._thread.start()

    def set(self, **faults: object) -> None:
        """Changes the faults (``drop``, ``dup``, ``delay``, ``cut``)."""
        with self._lock:
            for key, value in faults.items():
                setattr(self.faults, key, value)

    def replay(self, count: int) -> int:
        """Sends ``count`` packets recorded earlier to their PC once more; returns how many."""
        with self._lock:
            chosen = self.rng.sample(list(self._recorded), min(count, len(self._recorded)))
            for name, data in chosen:
                self._hold(0.0, name, data)
            self.counts["replayed"] += len(chosen)
        return len(chosen)

    def stop(self) -> None:
        """Stops the switch and closes its ports."""
        self._stopping.set()
        self._thread.join(timeout=5)
        for sock in self._sockets.values():
            sock.close()
        self._selector.close()

    def _hold(self, delay: float, name: str, data: bytes) -> None:
        heapq.heappush(self._held, (time.monotonic() + delay, self.rng.randrange(2**30),
                                    name, data))  # fmt: skip

    def _take(self, name: str, data: bytes, source_port: int) -> None:
        """Decides what happens to a packet for PC ``name`` (under the lock)."""
        faults = self.faults
        self.counts["packets"] += 1
        if name in faults.cut or self._port_of.get(source_port) in faults.cut:
            self.counts["cut"] += 1
            return
        if self.rng.random() < faults.drop:
            self.counts["dropped"] += 1
            return
        self._recorded.append((name, data))
        copies = 2 if self.rng.random() < faults.dup else 1
        self.counts["duplicated"] += copies - 1
        for _ in range(copies):
            delay = self.rng.uniform(0, faults.delay) if faults.delay else 0.0
            self.counts["delayed"] += delay > 0
            self._hold(delay, name, data)

    def _run(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                wait = max(0.0, self._held[0][0] - time.monotonic()) if self._held else 0.05
            for key, _ in self._selector.select(min(wait, 0.05)):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                while True:
                    try:
                        data, source = sock.recvfrom(65535)
                    except (BlockingIOError, ConnectionError):
                        break
                    with self._lock:
                        self._take(str(key.data), data, int(source[1]))
            now = time.monotonic()
            with self._lock:
                while self._held and self._held[0][0] <= now:
                    _, _, name, data = heapq.heappop(self._held)
                    sock = self._sockets[name]
                    _, own_port = self._to[sock.fileno()]
                    try:
                        sock.sendto(data, ("127.0.0.1", own_port))
                        self.counts["delivered"] += 1
                    except OSError:
                        self.counts["undeliverable"] += 1

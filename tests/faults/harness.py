"""The randomized multi-process fault harness: real PCs, real faults, then the promises.

A schedule sets up a site of several PCs — each a process of its own (:mod:`tests.faults.pc`)
with its own data folder, all on one shared folder that each PC reaches through a link of
its own (its network cable) — and runs random work on them: tickets issued, called, served,
held, transferred, closed and corrected; sync rounds. Between the operations it breaks
things for real: a PC's link pulled (a partition), the whole share renamed away, a PC killed
with SIGKILL in the middle of an operation and started again, and on the share: a byte
flipped in a segment, a segment's tail cut off, a segment quarantined, a file made
unreadable (``chmod 000``, read by PCs without root's override), a folder and a dangling
link named like segments.

Then it heals what a technician would (links back, the share back, permissions back), lets
every PC sync a few rounds and checks:

- every PC has the same projections (tickets, reservations, staff, …);
- ``rebuild`` gives every PC the tables it had (rebuild == live);
- no display number twice in a lane and a day;
- every ticket whose issue a PC acknowledged is present on every PC;
- no PC halted, no event left unsent, and no operation ever failed with a bug.

With ``--smb`` (``smb=`` :class:`~tests.faults.smbfs.Rules`) the share is the simulated
Windows SMB share (:mod:`tests.faults.smbfs`): each PC's link leads to its own SMB client
folder of the mount, with the client's cached listings and file times, sharing violations,
Windows names and coarse file times; a further fault holds a file open in another process
(a PC reading it, an antivirus scanning it). The PCs then sync until they agree (or a time
limit well beyond the caches' lifetime), which shows the delay a Windows share adds.

``python -m tests.faults.harness --schedules 200`` is the long run (``make soak``, which
also runs schedules through the simulated share); the test suite runs a few schedules
(:mod:`tests.faults.test_random_schedules`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as dtime
from pathlib import Path
from typing import IO, Any

from app.core.actor import SYSTEM
from app.core.node import Node
from app.core.staff import StaffService
from app.model.clock import JST
from tests.faults.smb import Holder, SmbMount
from tests.faults.smbfs import Rules
from tests.helpers.clock import OPEN_DAY
from tests.helpers.nodes import KEY

ROOT = Path(__file__).resolve().parents[2]

#: (name, role, counter, number block) of the site's PCs.
PCS = (("reception-1", "reception", None, 0), ("reception-2", "reception", None, 1),
       ("counter-1", "counter", "1", 2), ("counter-2", "counter", "2", 3),
       ("city-5", "counter", "5", 4))  # fmt: skip
WALK_INS = (("pin", "self"), ("certificate", "self"), ("loss", "self"), ("face_auth", "self"),
            ("pin", "agent"))  # fmt: skip
MOVES = ("recall", "start", "done", "noshow", "cancel", "hold", "resume", "reopen", "transfer")
FILE_FAULTS = ("flip", "truncate", "quarantine", "unreadable", "folder", "dangling")
#: Rounds the PCs always sync at the end, and the most they may need on a Windows share.
SETTLE_ROUNDS = 5
SETTLE_SECONDS_BEYOND_CACHES = 20.0


class HarnessBug(AssertionError):
    """A promise was broken, or a PC answered with a bug."""


@dataclass
class Figures:
    """What the harness did and found."""

    schedules: int = 0
    pcs: int = 0
    operations: int = 0
    acknowledged: int = 0
    refused: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    tickets: int = 0
    seconds: float = 0.0
    settle_rounds: list[int] = field(default_factory=list)

    def line(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        settle = (f", settled in {min(self.settle_rounds)}–{max(self.settle_rounds)} rounds"
                  if self.settle_rounds else "")  # fmt: skip
        return (f"{self.schedules} schedules, {self.pcs} PCs each, {self.operations} operations "
                f"({self.acknowledged} tickets acknowledged, {self.refused} refused as "
                f"impossible), faults: {faults}; {self.tickets} tickets checked on every PC: "
                f"0 lost, 0 duplicate numbers, 0 divergent PCs, 0 divergent rebuilds"
                f"{settle} ({self.seconds:.0f} s)")  # fmt: skip


def without_dac_override() -> None:
    """Drops root's power to read any file, for a PC process (so chmod 000 bites)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        libc.prctl(24, capability, 0, 0, 0)  # PR_CAPBSET_DROP


class PC:
    """One PC process."""

    def __init__(self, name: str, folder: Path, counter: str | None) -> None:
        self.name, self.folder, self.counter = name, folder, counter or "0"
        self.proc: subprocess.Popen[str] | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.pc", str(self.folder), self.counter],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, preexec_fn=without_dac_override,
        )  # fmt: skip

    def send(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        stdout: IO[str] | None = self.proc.stdout
        assert stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = stdout.readline()
        if not line:
            raise HarnessBug(
                f"{self.name} died: {self.proc.stderr.read() if self.proc.stderr else ''}"
            )
        answer: dict[str, Any] = json.loads(line)
        if "bug" in answer:
            raise HarnessBug(f"{self.name} {command['op']}: {answer['bug']}")
        return answer

    def kill_during(self, command: dict[str, Any]) -> None:
        """Sends a command and kills the process without waiting for its answer."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.communicate()
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


class Schedule:
    """One site and one random schedule of work and faults.

    Args:
        root: an empty folder.
        seed: the schedule's random seed (printed with any failure).
        operations: how many operations the schedule runs.
    """

    def __init__(self, root: Path, seed: int, operations: int, figures: Figures,
                 smb: Rules | None = None) -> None:  # fmt: skip
        self.root, self.seed, self.rng = root, seed, random.Random(seed)
        self.operations, self.figures = operations, figures
        self.now = int(datetime.combine(OPEN_DAY, dtime(10, 35), tzinfo=JST).timestamp() * 1000)
        self.share = root / "share"
        self.share.mkdir(parents=True)
        self.smb: SmbMount | None = None
        self.holders: list[Holder] = []
        if smb is not None:
            self.smb = SmbMount(self.share, root / "smb", smb).__enter__()
        (root / "links").mkdir()
        (root / "quarantine").mkdir()
        self.pcs: dict[str, PC] = {}
        self.acknowledged: set[str] = set()
        self.called: dict[str, list[str]] = {}
        self.unreadable: list[Path] = []
        for name, role, counter, block in PCS:
            link = root / "links" / name
            link.symlink_to(self.target(name))
            node = Node(root / name, wall_ms=lambda: self.now)
            node.initialise(site_id="harness", name=name, role=role, share_dir=str(link),
                            counter=counter, issuer_block=block, site_key=KEY)  # fmt: skip
            staff = StaffService(node)
            staff.add(SYSTEM, "fm", "受付 花子", "floor_manager", "1111")
            staff.add(SYSTEM, "cl", "窓口 一郎", "clerk", "2222")
            node.close()
            self.pcs[name] = PC(name, root / name, counter)
            self.called[name] = []
        figures.pcs = len(self.pcs)

    def target(self, name: str) -> Path:
        """Returns what a PC's link leads to: the share, or its own SMB client of it."""
        return self.share if self.smb is None else self.smb.client(name)

    # -- running ---------------------------------------------------------------------------

    def command(self, op: str, **values: Any) -> dict[str, Any]:
        self.now += self.rng.randint(1, 40) * 1000
        return {"op": op, "now": self.now, **values}

    def run(self) -> None:
        try:
            for _ in range(self.operations):
                self.step()
            self.heal()
            self.settle()
            self.check()
        finally:
            for pc in self.pcs.values():
                pc.stop()
            self.release_holders()
            if self.smb is not None:
                self.smb.close()
        self.figures.schedules += 1

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.08:
            self.fault()
            return
        self.figures.operations += 1
        if roll < 0.30:
            name = self.rng.choice(["reception-1", "reception-2"])
            procedure, applicant = self.rng.choice(WALK_INS)
            self.ask(name, self.command("issue", procedure=procedure, applicant=applicant))
        elif roll < 0.45:
            name = self.rng.choice(["counter-1", "counter-2", "city-5"])
            answer = self.ask(name, self.command("call_next"))
            if answer.get("ticket_id"):
                self.called[name].append(answer["ticket_id"])
        elif roll < 0.75:
            name = self.rng.choice(["counter-1", "counter-2", "city-5"])
            if not self.called[name]:
                return
            ticket = self.rng.choice(self.called[name][-4:])
            move = self.rng.choice(MOVES)
            values: dict[str, Any] = {"ticket_id": ticket}
            if move == "transfer":
                values["lane"] = "city"
            self.ask(name, self.command(move, **values))
        else:
            self.ask(self.rng.choice(list(self.pcs)), self.command("sync"))

    def ask(self, name: str, command: dict[str, Any]) -> dict[str, Any]:
        answer = self.pcs[name].send(command)
        if not answer["ok"]:
            self.figures.refused += 1
        elif command["op"] in ("issue", "transfer") and answer.get("ticket_id"):
            self.acknowledged.add(answer["ticket_id"])
            self.figures.acknowledged += 1
        return answer

    # -- faults ------------------------------------------------------------------------------

    def fault(self) -> None:
        kinds = ("kill", "partition", "heal_partition", "share_away", *FILE_FAULTS, *FILE_FAULTS)
        if self.smb is not None:
            kinds += ("hold", "hold")
        kind = self.rng.choice(kinds)
        done = getattr(self, f"fault_{kind}")()
        if done:
            self.figures.faults[kind] += 1

    def fault_kill(self) -> bool:
        name = self.rng.choice(list(self.pcs))
        op = self.rng.choice(("issue", "sync", "call_next")) if name.startswith("rec") else "sync"
        values = {"procedure": "pin", "applicant": "self"} if op == "issue" else {}
        self.pcs[name].kill_during(self.command(op, **values))  # its answer is never seen
        return True

    def fault_partition(self) -> bool:
        link = self.root / "links" / self.rng.choice(list(self.pcs))
        if not link.is_symlink():
            return False
        link.unlink()  # this PC's cable is pulled
        return True

    def fault_heal_partition(self) -> bool:
        for name in self.pcs:
            link = self.root / "links" / name
            if not link.is_symlink():
                link.symlink_to(self.target(name))
                return True
        return False

    def fault_share_away(self) -> bool:
        away = self.root / "share-away"
        if away.exists():
            away.rename(self.share)  # the file server is back
        else:
            self.share.rename(away)  # the file server is down for everyone
        return True

    def _segments(self) -> list[Path]:
        return sorted(p for p in self.share.rglob("seg-*.log")
                      if p.is_file() and not p.is_symlink() and p not in self.unreadable)  # fmt: skip

    def _segment(self) -> Path | None:
        found = self._segments()
        return self.rng.choice(found) if found else None

    def fault_flip(self) -> bool:
        path = self._segment()
        if path is None:
            return False
        data = path.read_bytes()
        header_end = data.find(b"\n") + 1
        if len(data) <= header_end + 1:
            return False
        at = self.rng.randrange(header_end, len(data) - 1)
        with open(path, "r+b") as f:
            f.seek(at)
            f.write(bytes([data[at] ^ (1 << self.rng.randrange(8))]))
        return True

    def fault_truncate(self) -> bool:
        path = self._segment()
        if path is None or path.stat().st_size < 200:
            return False
        with open(path, "r+b") as f:
            f.truncate(path.stat().st_size - self.rng.randint(1, 60))
        return True

    def fault_quarantine(self) -> bool:
        path = self._segment()
        if path is None:
            return False
        shutil.move(path, self.root / "quarantine" / f"{self.rng.random():.12f}-{path.name}")
        return True

    def fault_unreadable(self) -> bool:
        path = self._segment()
        if path is None:
            return False
        path.chmod(0o000)
        self.unreadable.append(path)
        return True

    def fault_hold(self) -> bool:
        """Another process holds a segment open through one PC's client (a reader, an
        antivirus scan) until the next hold or the end: Windows refuses to rename or
        delete it meanwhile."""
        self.release_holders()
        path = self._segment()
        if path is None or self.smb is None:
            return False
        client = self.smb.client(self.rng.choice(list(self.pcs)))
        try:
            self.holders.append(Holder(client / path.relative_to(self.share)))
        except AssertionError:
            return False  # not visible through that client yet (its cached listing)
        return True

    def release_holders(self) -> None:
        for holder in self.holders:
            holder.release()
        self.holders = []

    def fault_folder(self) -> bool:
        folders = sorted(self.share.rglob("nodes/*"))
        if not folders:
            return False
        (self.rng.choice(folders) / f"seg-000000000-odd-{self.rng.randrange(10**6)}.log").mkdir()
        return True

    def fault_dangling(self) -> bool:
        folders = sorted(self.share.rglob("nodes/*"))
        if not folders:
            return False
        name = f"seg-000000000-gone-{self.rng.randrange(10**6)}.log"
        (self.rng.choice(folders) / name).symlink_to(self.root / "nowhere")
        return True

    # -- the end ---------------------------------------------------------------------------

    def heal(self) -> None:
        """Does what a technician would: the share and the cables back, permissions fixed."""
        away = self.root / "share-away"
        if away.exists():
            away.rename(self.share)
        self.fault_heal_partition()
        while self.fault_heal_partition():
            pass
        for path in self.unreadable:
            path.chmod(0o644)
        self.release_holders()

    def settle(self) -> None:
        """Syncs every PC a few rounds, and on a Windows share until they agree (their
        caches may hide the last files for a while)."""
        limit = 0.0
        if self.smb is not None:
            rules = self.smb.rules
            limit = max(rules.dir_cache_s, rules.info_cache_s, rules.not_found_cache_s)
            limit += SETTLE_SECONDS_BEYOND_CACHES
        started = time.monotonic()
        rounds = 0
        while True:
            for name in self.pcs:
                self.ask(name, self.command("sync"))
            rounds += 1
            if rounds < SETTLE_ROUNDS:
                continue
            if self.smb is None or self.agreed() or time.monotonic() - started > limit:
                break
        self.figures.settle_rounds.append(rounds)

    def agreed(self) -> bool:
        dumps = [self.pcs[name].send(self.command("dump")) for name in self.pcs]
        return len({d["digest"] for d in dumps}) == 1 and not any(d["waiting"] for d in dumps)

    def check(self) -> None:
        dumps = {name: self.pcs[name].send(self.command("dump")) for name in self.pcs}
        where = f"(seed {self.seed})"
        for name, dump in dumps.items():
            if dump["halted"] or dump["waiting"]:
                raise HarnessBug(f"{name} halted or has unsent events {where}: {dump}")
        digests = {name: d["digest"] for name, d in dumps.items()}
        if len(set(digests.values())) != 1:
            counts = {n: (d["events"], len(d["tickets"])) for n, d in dumps.items()}
            raise HarnessBug(f"PCs differ {where}: {counts}")
        for name in self.pcs:
            rebuilt = self.pcs[name].send(self.command("rebuild"))
            if rebuilt["digest"] != digests[name]:
                raise HarnessBug(f"{name}: rebuild differs from the live tables {where}")
        tickets = next(iter(dumps.values()))["tickets"]
        numbers = Counter((t["day"], t["lane"], t["number"]) for t in tickets)
        twice = [n for n, c in numbers.items() if c > 1]
        if twice:
            raise HarnessBug(f"display numbers issued twice {where}: {twice}")
        present = {t["ticket_id"] for t in tickets}
        lost = self.acknowledged - present
        if lost:
            raise HarnessBug(f"acknowledged tickets lost {where}: {sorted(lost)}")
        self.figures.tickets += len(tickets)


def run_schedules(root: Path, count: int, seed: int, operations: int,
                  smb: Rules | None = None) -> Figures:  # fmt: skip
    """Runs ``count`` schedules under ``root`` (through the simulated Windows share with
    ``smb``); raises HarnessBug at the first broken promise."""
    figures = Figures()
    started = time.monotonic()
    for n in range(count):
        folder = root / f"schedule-{n:04d}"
        Schedule(folder, seed + n, operations, figures, smb).run()
        shutil.rmtree(folder, ignore_errors=True)
    figures.seconds = time.monotonic() - started
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description="madoguchi: randomized multi-PC fault schedules")
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--operations", type=int, default=80)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--folder", type=Path, default=None)
    parser.add_argument("--smb", action="store_true",
                        help="through the simulated Windows share, with Windows' caches")  # fmt: skip
    parser.add_argument("--time-step", type=float, default=1e-7,
                        help="with --smb: the file server's time step in seconds (FAT: 2)")  # fmt: skip
    args = parser.parse_args()
    import tempfile

    root = args.folder or Path(tempfile.mkdtemp(prefix="madoguchi-soak-"))
    smb = Rules.smb(time_step_ns=max(1, round(args.time_step * 1e9))) if args.smb else None
    where = " through the simulated Windows share" if smb else ""
    print(f"soak: seed {args.seed}, {args.schedules} schedules of {args.operations} "
          f"operations{where}")  # fmt: skip
    try:
        figures = run_schedules(root, args.schedules, args.seed, args.operations, smb)
    except HarnessBug as exc:
        print(f"soak: FAILED: {exc}")
        return 1
    print(f"soak: passed: {figures.line()}")
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

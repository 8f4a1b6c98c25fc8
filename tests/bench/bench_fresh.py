"""A fresh PC takes the contract year from the share; a PC back after months offline sends
its own — whole processes, against a bare insert of the same rows with the same indexes.

- fresh PC: ``madoguchi sync --once`` in a newly set-up data folder, the share holding the
  site's eight months (the real mix from the site's PCs, :mod:`tests.bench.year`); its
  baseline is a process inserting the same rows into an ``events`` table with the same
  primary key and indexes (:func:`bare_insert`), run in turn with it.
- first export: a PC whose own eight months of events never reached the share sends them
  (``madoguchi sync --once``); its peak resident memory is the figure (target ≤ 120 MB),
  beside that of a process that only starts (``madoguchi --version``).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from app.core.node import Node
from db.event import COLUMNS
from tests.bench.common import Run, median_ratio, run_process, spread
from tests.bench.year import CACHE, KEY, SITE, Row, _version, describe, write_share, year_rows

BARE = r"""
import sqlite3, sys
source, target = sys.argv[1], sys.argv[2]
rows = sqlite3.connect(source).execute("SELECT {cols} FROM events").fetchall()
conn = sqlite3.connect(target, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=NORMAL")
conn.execute(
    "CREATE TABLE events (node_id TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL, "
    "type TEXT NOT NULL, ticket_id TEXT, prev TEXT NOT NULL, staff_id TEXT NOT NULL, "
    "counter TEXT, payload TEXT NOT NULL, schema INTEGER NOT NULL, "
    "PRIMARY KEY (node_id, seq)) WITHOUT ROWID")
conn.execute("CREATE INDEX events_ticket ON events (ticket_id) WHERE ticket_id IS NOT NULL")
conn.execute("CREATE INDEX events_hlc ON events (hlc)")
conn.execute("BEGIN")
conn.executemany("INSERT INTO events ({cols}) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
conn.execute("COMMIT")
""".replace("{cols}", COLUMNS)


def madoguchi(*args: str) -> list[str]:
    return [sys.executable, "-m", "app", *args]


def fresh_pc(folder: Path, share: Path) -> Run:
    """Sets a new PC up on the share (not timed) and times its first sync round."""
    env = {"MADOGUCHI_PIN": "9999"}
    run_process(madoguchi("--data-dir", str(folder), "init", "--site", SITE, "--name",
                          folder.name, "--role", "admin", "--share", str(share),
                          "--site-key", KEY.hex()), env)  # fmt: skip
    return run_process(madoguchi("--data-dir", str(folder), "sync", "--once"))


def own_backlog(folder: Path, rows: list[Row], share: Path) -> str:
    """Makes a PC whose own events (the busiest PC's eight months) never went out."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[0]] = counts.get(row[0], 0) + 1
    busiest = max(counts, key=lambda n: counts[n])
    node = Node(folder)
    node.initialise(site_id=SITE, name="backlog", role="reception", share_dir=str(share),
                    site_key=KEY.hex())  # fmt: skip
    node.store.conn.execute("UPDATE meta SET value = ? WHERE key = 'node_id'", (busiest,))
    node.store.conn.execute("BEGIN")
    node.store.conn.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                                [r for r in rows if r[0] == busiest])  # fmt: skip
    node.store.conn.execute("COMMIT")
    node.store.rebuild()
    node.close()
    return f"{counts[busiest]:,} events of its own"


def run(quick: bool = False) -> dict[str, Any]:
    """Prints the fresh PC's and the first export's figures."""
    months = 1 if quick else 8
    rounds = 2 if quick else 3
    rows = year_rows(months)
    source = CACHE / f"year-{months}-{_version()}.sqlite3"
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        share = root / "share"
        write_share(rows, share)
        fresh: list[float] = []
        bare: list[float] = []
        peaks: list[float] = []
        for n in range(rounds):  # fresh PC, bare insert, fresh PC, bare insert …
            run = fresh_pc(root / f"fresh-{n}", share)
            fresh.append(run.seconds)
            peaks.append(run.peak_mb)
            bare.append(run_process([sys.executable, "-c", BARE, str(source),
                                     str(root / f"bare-{n}.sqlite3")]).seconds)  # fmt: skip
            shutil.rmtree(root / f"fresh-{n}")
        check = Node(root / "check")
        figures.update(fresh_s=statistics.median(fresh), bare_s=statistics.median(bare),
                       ratio=median_ratio(fresh, bare), fresh_peak_mb=max(peaks))  # fmt: skip
        print(f"a fresh PC takes {months} month(s) from the share ({describe(rows)}):")
        print(f"  madoguchi sync --once, whole process  {spread(fresh)}   peak {max(peaks):.0f} MB")
        print(f"  bare insert, same rows and indexes     {spread(bare)}")
        print(f"  ratio {figures['ratio']:.2f}×   (targets: ≤ 3 s and ≤ 3×)")
        check.close()
        backlog = root / "backlog"
        said = own_backlog(backlog, rows, root / "share-2")
        (root / "share-2").mkdir()
        export = run_process(madoguchi("--data-dir", str(backlog), "sync", "--once"))
        start = run_process(madoguchi("--version"))
        figures.update(export_s=export.seconds, export_peak_mb=export.peak_mb,
                       start_peak_mb=start.peak_mb)  # fmt: skip
        print(f"first export after {months} month(s) offline ({said}):")
        print(f"  madoguchi sync --once {export.seconds:.2f} s, peak {export.peak_mb:.0f} MB "
              f"(target ≤ 120 MB; a process that only starts: {start.peak_mb:.0f} MB)")  # fmt: skip
    return figures


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(Path(__file__).resolve().parents[2]))
    run(quick="--quick" in sys.argv)

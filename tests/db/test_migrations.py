"""Migrations run from an empty file and from every earlier version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.migrations import applied_names, migrate, migration_names


def test_names_are_numbered_in_order() -> None:
    names = migration_names()
    assert names == sorted(names)
    assert all(n[0] == "m" and n[1:4].isdigit() for n in names)


def test_from_empty(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "a.sqlite3", isolation_level=None))
    migrate(db.conn)
    assert applied_names(db.conn) == migration_names()
    assert {"events", "meta", "tickets", "closures", "staff", "reservations"} <= set(
        db.table_names()
    )
    migrate(db.conn)  # idempotent
    assert applied_names(db.conn) == migration_names()


@pytest.mark.parametrize("stop", migration_names()[1:])
def test_from_every_earlier_version_keeps_the_events(tmp_path: Path, stop: str) -> None:
    db = Database(sqlite3.connect(tmp_path / "b.sqlite3", isolation_level=None))
    migrate(db.conn, stop_before=stop)
    assert stop not in applied_names(db.conn)
    db.execute(
        "INSERT INTO events (node_id, seq, hlc, type, staff_id, schema) "
        "VALUES ('n1', 1, 42, 'closure.added', 'sm', 1)"
    )
    migrate(db.conn)
    assert applied_names(db.conn) == migration_names()
    assert db.execute("SELECT node_id, seq, hlc FROM events").fetchall() == [("n1", 1, 42)]


def test_a_failing_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    from sqlite_utils.migrations import Migrations

    broken = Migrations("broken")

    @broken()
    def m001_half(db: Database) -> None:
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("disk full")

    db = Database(sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None))
    with pytest.raises(RuntimeError):
        broken.apply(db)
    assert "half" not in db.table_names()


def test_the_lan_columns_keep_what_a_pc_knew_of_the_others(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "d.sqlite3", isolation_level=None))
    migrate(db.conn, stop_before="m015_lan")
    db.execute("INSERT INTO sync_nodes (node_id, name, role, last_heard_ms) "
               "VALUES ('n1', 'display', 'display', 42)")  # fmt: skip
    migrate(db.conn)
    row = db.execute("SELECT name, last_heard_ms, lan_address, lan_up FROM sync_nodes").fetchone()
    assert row == ("display", 42, None, None)
    assert db["provisional_events"].count == 0

"""Persistence of a madoguchi node: local SQLite store, event log, migrations. No Qt here."""

"""The site manager's window (管理): live waits, staffing advice, closures, pauses, staff,
reports and the Q&A collection.

May import: ``ui.widgets``, ``ui.shell`` (hub, texts) and the ``app`` services it is handed.
"""

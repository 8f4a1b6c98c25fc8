"""The reception desk (受付): walk-in issue with the document checklist, reservation
check-in, and the import of the reservation export.

May import: ``ui.widgets``, ``ui.shell`` (hub, texts) and the ``app`` services it is handed.
"""

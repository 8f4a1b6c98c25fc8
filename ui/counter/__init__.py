"""The counter (窓口): call, serve, hold, transfer and close by function key, the inquiry
tab, and the site manager's change of a counter's number.

May import: ``ui.widgets``, ``ui.shell`` (hub, texts) and the ``app`` services it is handed.
"""

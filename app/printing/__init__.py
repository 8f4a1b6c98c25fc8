"""The printed ticket: its content and layout, rendering as PDF and PNG, the printer
backends (PDF folder, ESC/POS roll printers; the Windows printer is in ``ui``) and the
record of each print job (the reprint queue).

Owns: one layout for every output. May import: the subsystems below it (``app.queue`` for
the ticket, ``app.core``, ``app.model``, ``db``).
"""

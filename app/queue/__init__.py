"""The visitor's way through the center: tickets (issue, call, serve, transfer, close,
correct), visits turned back at reception, paused procedures and ad-hoc closures, the
calls as the board sees them, which counters serve which lane, and whether the board and
the counters hear each other.

Owns: the queue's write side and its rules (calling order, numbering, who may move a
ticket). May import: ``app.core``, ``app.model``, ``db``.
"""

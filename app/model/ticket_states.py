"""A ticket's states and a visit's outcomes: the names the fold, the queue and the command line share."""

WAITING, CALLED, SERVING, HELD = "waiting", "called", "serving", "held"
DONE, NOSHOW, CANCELLED, TRANSFERRED = "done", "noshow", "cancelled", "transferred"
STATES = (WAITING, CALLED, SERVING, HELD, DONE, NOSHOW, CANCELLED, TRANSFERRED)
TERMINAL = frozenset({DONE, NOSHOW, CANCELLED, TRANSFERRED})
OPEN_STATES = (WAITING, CALLED, SERVING, HELD)

#: How a finished visit ended (``ticket.done``'s outcome).
OUTCOMES = ("completed", "revisit", "deferred")
#: Fees the city's register takes for a completed procedure (ソ): reissue, express issue.
FEES = ("reissue", "express")

"""Pure folds from events to state: a ticket's state (:mod:`ticket_fold`), the Q&A collection
and inquiries (:mod:`qa_projection`), the projection of every event into the tables the
screens read (:mod:`projection`), and the center's local time (:mod:`clock`).

Owns: the rules that make a state a function of its events, so a rebuild equals the live
tables on every PC. No I/O beyond the SQLite connection it is handed. May import: ``db``.
"""

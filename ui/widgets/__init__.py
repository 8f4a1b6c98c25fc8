"""Pieces the role windows share: labels (one that shrinks its text to fit), a button
whose text wraps, images, the Qt printer backend and the table models of tickets.

May import: ``ui.shell`` (texts) and ``app``.
"""

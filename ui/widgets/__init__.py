"""Pieces the role windows share: labels, images, the Qt printer backend and the table
models of tickets.

May import: ``ui.shell`` (texts) and ``app``.
"""

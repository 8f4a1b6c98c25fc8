"""Sync through the shared folder: exporting this PC's events as signed segments, reading
every other PC's, the registry heartbeat, clone and clock checks.

Owns: how events travel between PCs through the share and what this PC knows of the others.
May import: ``app.lan`` (the address the registry announces), ``app.queue``,
``app.reservations``, ``app.inquiries``, ``app.core``, ``app.model``, ``db``.
"""

"""One PC of the site: its node (identity, store, writing events), settings, procedure
catalog, center calendar, staff and sign-in, the actor every change is made by, the privacy
guard and the program's paths.

Owns: who this PC is and what every other subsystem needs to act on it. May import:
``app.model`` and ``db``.
"""

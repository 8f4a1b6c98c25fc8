"""Web reservations of card issuance (完全予約制): bookings and check-in lookups, reading
the city's CSV export and importing it all or nothing, no-show sweeps and name purges,
finding a katakana name from romaji.

Owns: everything about a booking until its ticket is issued. May import: ``app.core``,
``app.model``, ``db``.
"""

"""The direct LAN path between the PCs of a site, beside the shared folder.

Calls and the other moves of tickets are pushed at once to every PC of the site over UDP
(one port), signed with the site key; what arrives goes through the same exactly-once apply
as the share's segments, which stay the durable truth. The path also tells which PCs hear
each other, so that a counter knows when its calls no longer reach the board.

Owns: the packets (:mod:`~app.lan.wire`), what travels on them (:mod:`~app.lan.carried`),
refusing replays and floods (:mod:`~app.lan.guard`), resending until acknowledged
(:mod:`~app.lan.outbox`), the other PCs as this one hears them (:mod:`~app.lan.peers`) and
the socket's loop (:mod:`~app.lan.path`). May import: ``app.core``, ``app.model``, ``db``.
"""

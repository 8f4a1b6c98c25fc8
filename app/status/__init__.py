"""The public waiting status: what the visitors may see from anywhere (per lane the waiting
count, the estimated wait, the numbers called and to which counter, whether reception is
open), written as ``status.json`` and a page that needs nothing else, published into a
folder the city's web server serves and served read-only on the center's LAN.

Owns: what of the queue is public (no names, booking numbers or ticket ids: display
numbers, counts, minutes, counter numbers and the center's own texts, every free text
through the privacy guard), the page, its publishing and the LAN server. May import:
``app.queue``, ``app.core``, ``app.model``, ``db``.
"""

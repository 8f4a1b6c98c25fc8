"""Inquiries answered at the counters (問い合わせへの回答) and the shared Q&A collection
(質疑応答集), with their categories and the check that keeps personal data out of them.

Owns: the texts that go to the city as they were asked and answered. May import:
``app.core``, ``app.model``, ``db``.
"""

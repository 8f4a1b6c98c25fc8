"""The figures and reports the city's contract asks for, computed from the events: daily,
monthly, service-level and annual reports, inquiry logs, staffing advice, the site
manager's live figures, and the PDF/CSV/XLSX writers.

Owns: every number shown to the city and its explanation. May import: ``app.printing``
(the font) and everything below it.
"""

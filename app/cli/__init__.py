"""The ``madoguchi`` command line: one module per command group, the shared output and
error handling, and the entry point (:mod:`app.cli.main`).

Owns: the text interface to the services, for IT staff, scheduled jobs, tests and
benchmarks. May import: all of ``app``; never Qt.
"""

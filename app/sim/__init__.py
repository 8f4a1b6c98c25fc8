"""Simulated days at the center through the real services (reports, benchmarks) and the
demo site of ``make run``.

Owns: nothing the center runs on; it drives the other subsystems. May import: everything
in ``app`` but ``app.cli``.
"""

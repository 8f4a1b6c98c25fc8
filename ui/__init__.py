"""madoguchi windows: the only package that imports Qt.

``shell`` starts the program and wires services into windows; ``reception``, ``counter``,
``display`` and ``admin`` are the four roles; ``widgets`` holds what they share. Windows are
handed services from ``app``; they never open the database or import ``db``.
"""

"""madoguchi domain and services: no Qt here (``ui`` is the only Qt layer).

Sub-packages from the bottom up: ``model`` (pure folds), ``core`` (the node), ``queue``,
``reservations`` and ``inquiries`` (the work of the center), ``lan`` (the direct path
between the PCs), ``sync`` (the shared folder), ``printing``, ``reports``, ``sim`` and
``cli``. Each may import only those below it; the
contracts in ``pyproject.toml`` hold it (``lint-imports``).
"""

__version__ = "0.1.0"

"""madoguchi domain and services: no Qt here (ui/ is the only Qt layer)."""

__version__ = "0.1.0"

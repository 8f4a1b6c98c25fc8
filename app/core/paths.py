"""Where madoguchi finds its bundled resources and keeps its data."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "madoguchi"


def resources_dir() -> Path:
    """Returns the bundled ``resources/`` folder (source tree or frozen bundle)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def default_data_dir() -> Path:
    """Returns the per-user data folder (overridden by ``--data-dir``)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def font_path(name: str = "ipaexg.ttf") -> Path:
    """Returns a bundled font: IPAex Gothic (Japanese) by default, or another file of
    ``resources/fonts`` (``app.core.i18n.Language.font``)."""
    return resources_dir() / "fonts" / name

"""The default theme: templates (with the interface catalogues) and static files.

In the repository the theme is the top-level `templates/` and `static/` folders; a wheel
carries the same folders as package data under `somos_site/theme/` (pyproject.toml maps
them there). A site's own `templates/` and `static/` override the theme file by file."""

from __future__ import annotations

from pathlib import Path

PACKAGED = Path(__file__).resolve().parent
CHECKOUT = PACKAGED.parents[2]  # src/somos_site/theme -> the repository root


def folder(name: str) -> Path:
    """The theme's `templates` or `static` folder: inside the installed package when it
    was installed from a wheel, else the repository's top-level folder (a checkout or an
    editable install)."""
    packaged = PACKAGED / name
    return packaged if packaged.is_dir() else CHECKOUT / name


def templates_dir() -> Path:
    return folder("templates")


def static_dir() -> Path:
    return folder("static")

"""Where a build reads and writes, and how: the options every command starts from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from somos_site import theme


@dataclass(frozen=True)
class Options:
    project_root: Path
    content_dir: Path
    templates_dir: Path  # the theme's templates
    static_dir: Path  # the site's static files, which replace the theme's same-named ones
    out_dir: Path
    template_overrides: Path | None = None  # templates here replace same-named defaults
    theme_static_dir: Path | None = None
    base_url: str | None = None
    cache_dir: Path | None = None  # rendered Markdown by content hash (None here: no cache)
    drafts: bool = False
    strict: bool = False
    publishing: bool = False  # `build`: the output is meant for the public web

    @classmethod
    def for_project(cls, root: Path, **overrides) -> Options:
        root = Path(root)
        # A site's own templates/ overrides the theme file by file; in this repository it
        # is the theme itself, which is then used once.
        own_templates = root / "templates"
        defaults = {
            "content_dir": root / "content",
            "templates_dir": theme.templates_dir(),
            "template_overrides": own_templates if own_templates.is_dir() else None,
            "static_dir": root / "static",
            "theme_static_dir": theme.static_dir(),
            "out_dir": root / "_site",
            # SOMOS_CACHE_DIR moves the cache (CI caches, the benchmark); delete it at will.
            "cache_dir": Path(os.environ.get("SOMOS_CACHE_DIR") or root / ".cache" / "somos-site"),
        }
        # An override of None means "not given": the project default stands.
        defaults.update({k: v for k, v in overrides.items() if v is not None})
        return cls(project_root=root, **defaults)

    def static_dirs(self) -> list[Path]:
        """Where static files come from, the first folder holding a file winning."""
        return unique([self.static_dir, self.theme_static_dir])


def unique(folders: list[Path | None]) -> list[Path]:
    """The folders given, in order, without None and without a folder seen before."""
    seen: list[Path] = []
    for folder in folders:
        if folder is not None and all(folder.resolve() != other.resolve() for other in seen):
            seen.append(folder)
    return seen

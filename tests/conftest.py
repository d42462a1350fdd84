"""Make the package and the test helpers importable without installation, and share fixtures."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS.parent / "src"), str(TESTS)]

from helpers import MINIMAL  # noqa: E402


@pytest.fixture
def minimal_site(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture site; returns its content folder."""
    target = tmp_path / "site"
    shutil.copytree(MINIMAL, target)
    return target / "content"

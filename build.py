#!/usr/bin/env python3
"""Build the Somos. companion site: `python build.py [build|check|serve] [options]`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from somos_site.cli import main

if __name__ == "__main__":
    sys.exit(main(project_root=Path(__file__).resolve().parent))

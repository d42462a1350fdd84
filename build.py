#!/usr/bin/env python3
"""Build the Somos. companion site: `python build.py [build|check|serve|new|init] [options]`."""

import sys
from pathlib import Path

SETUP = "python3 -m venv .venv && . .venv/bin/activate && pip install -e .   (Python 3.11 or newer)"

if sys.version_info < (3, 11):  # noqa: UP036 - the user's python3 may be older than the package allows
    print(f"somos-site: error: Python 3.11 or newer is needed; this is {sys.version.split()[0]}", file=sys.stderr)
    sys.exit(2)

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

try:
    from somos_site.cli import main
except ModuleNotFoundError as missing:  # run outside the environment the package is installed in
    print(f"somos-site: error: the package '{missing.name}' is not installed for {sys.executable}", file=sys.stderr)
    print(f"  hint: {SETUP}", file=sys.stderr)
    sys.exit(2)

if __name__ == "__main__":
    sys.exit(main(project_root=Path(__file__).resolve().parent))

"""`serve`: build, serve the output on 127.0.0.1 with livereload, rebuild on change."""

from __future__ import annotations

import sys

from somos_site.cli import report
from somos_site.pipeline import Options, run


def serve(options: Options, host: str, port: int) -> int:
    from livereload import Server

    def rebuild() -> None:
        report(run(options))

    rebuild()
    server = Server()
    for folder in (options.content_dir, options.templates_dir, options.static_dir):
        if folder.is_dir():
            server.watch(str(folder), rebuild)
    print(f"serving {options.out_dir} on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    server.serve(root=str(options.out_dir), host=host, port=port, restart_delay=0)
    return 0

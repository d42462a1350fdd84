"""Command line: `build` (default), `check`, `serve`, `new`, `init`. Exit codes: 0 success,
1 content or template errors, 2 usage or internal error."""

from __future__ import annotations

import argparse
import errno
import sys
import time
from pathlib import Path

from somos_site import __version__, coverage, starter
from somos_site.diagnostics import did_you_mean, print_report
from somos_site.load import CONFIG_NAME
from somos_site.lock import OutputBusy
from somos_site.pipeline import BuildResult, Options, run
from somos_site.scaffold import new_entry, new_translation
from somos_site.schema import TYPES
from somos_site.write import PublishError, explain_os_error

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "serve", "new", "init")


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: content/)")
    common.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: _site/)")
    common.add_argument("--templates", type=Path, metavar="DIR", help="templates that override the default ones")
    common.add_argument("--static", type=Path, metavar="DIR", help="static files folder (default: static/)")
    common.add_argument("--base-url", metavar="URL", help="public URL of the site, e.g. https://example.org/somos/")
    common.add_argument("--drafts", action="store_true", help="include entries marked draft: true")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--debug", action="store_true", help="show Python tracebacks for internal errors")
    main = argparse.ArgumentParser(
        prog="somos-site", description="Build a documentary companion site.", parents=[common]
    )
    main.add_argument("--version", action="version", version=f"somos-site {__version__}")
    sub = main.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("build", parents=[common], help="build the site into the output folder (default)")
    check = sub.add_parser("check", parents=[common], help="build in memory and report every problem and the coverage")
    check.add_argument("--format", choices=("text", "json"), default="text", help="json: one object for CI annotations")
    check.add_argument("--report", type=Path, metavar="DIR", default=None, help="also write an HTML report here")
    serve = sub.add_parser("serve", parents=[common], help="build, serve on 127.0.0.1, rebuild and reload on change")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: 8000, or the next free one)")
    new = sub.add_parser("new", parents=[common], help="write a new content file from the type's schema")
    new.add_argument("type", help="content type: " + ", ".join(TYPES) + " (or the singular: event, person, ...)")
    new.add_argument("title", help="the entry's title; the file name is its slug")
    new.add_argument("--lang", metavar="LANG", help="write a translation into LANG (with --from)")
    new.add_argument("--from", dest="original", metavar="TYPE/SLUG", help="the entry a translation translates")
    init = sub.add_parser("init", help="start a new companion site in DIR (a small working example)")
    init.add_argument("dir", type=Path, metavar="DIR", help="folder for the new site (created; must be empty)")
    return main


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding content/site.yaml, as git and Hugo
    find their project from any subfolder."""
    for folder in (start, *start.parents):
        if (folder / "content" / CONFIG_NAME).is_file():
            return folder
    return None


def suggestion(word: str, choices: list[str]) -> str:
    found = did_you_mean(word, choices)
    return f"; {found}" if found else ""


def type_folder(name: str) -> str | None:
    """The folder of a content type named by its folder (`events`) or its singular (`event`)."""
    for content_type in TYPES.values():
        if name.lower() in (content_type.folder, content_type.singular):
            return content_type.folder
    return None


def options_from(args: argparse.Namespace, project_root: Path) -> Options:
    return Options.for_project(
        project_root,
        content_dir=args.content,
        out_dir=args.out,
        template_overrides=args.templates,
        static_dir=args.static,
        base_url=args.base_url,
        drafts=args.drafts,
        strict=args.strict,
        publishing=args.command == "build",
    )


def check_report(args: argparse.Namespace, options: Options, result: BuildResult, started: float) -> int:
    found = coverage.coverage(result.site) if result.site else coverage.Coverage()
    if args.format == "json":
        print(coverage.as_json(found, result.diagnostics))
    else:
        report(result)
        print(coverage.as_text(found))
        if result.ok:
            print(f"checked {result.page_count} pages in {time.perf_counter() - started:.2f} s: no errors")
    folder = args.report or options.project_root / "_report"
    if result.site is not None and (args.report or folder.parent.is_dir()):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(coverage.as_html(found, result.diagnostics), encoding="utf-8")
    return EXIT_OK if result.ok else EXIT_CONTENT


def create_entry(options: Options, args: argparse.Namespace) -> int:
    folder, title = type_folder(args.type), args.title
    if folder is None:
        names = [*TYPES, *(t.singular for t in TYPES.values())]
        message = f"unknown content type '{args.type}'{suggestion(args.type.lower(), names)}"
        return usage_error(message, "the types are " + ", ".join(TYPES))
    if args.lang or args.original:
        if not (args.lang and args.original):
            return usage_error("a translation needs both --lang LANG and --from TYPE/SLUG")
        made = new_translation(options.content_dir, folder, title, args.lang, args.original)
        if isinstance(made, str):
            return usage_error(made)
        path, text = made
    else:
        slug, text = new_entry(folder, title)
        if not slug:
            return usage_error(f"'{title}' gives an empty file name; use letters or digits")
        path = options.content_dir / folder / f"{slug}.md"
    if path.exists():
        print(f"somos-site: error: {path} already exists; not overwriting it", file=sys.stderr)
        return EXIT_CONTENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(path)
    return EXIT_OK


def usage_error(message: str, hint: str | None = None) -> int:
    print(f"somos-site: error: {message}", file=sys.stderr)
    if hint:
        print(f"  hint: {hint}", file=sys.stderr)
    return EXIT_USAGE


def unknown_command(argv: list[str]) -> str | None:
    """The first argument when it is a word that is no command (`buidl`): build takes no
    positional argument, so a bare word there is a misspelt command."""
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        return argv[0]
    return None


def progress_line():
    """On a terminal, one line that says what a long build is doing; silent otherwise."""
    if not sys.stdout.isatty():
        return None
    started = time.perf_counter()

    def show(message: str) -> None:
        print(f"\r\033[K[{time.perf_counter() - started:5.1f} s] {message}", end="", flush=True)

    return show


def report(result: BuildResult, stream=None) -> None:
    print_report(result.diagnostics, stream)


def main(argv: list[str] | None = None, project_root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    word = unknown_command(argv)
    if word is not None:
        return usage_error(
            f"unknown command '{word}'{suggestion(word, list(COMMANDS))}", "the commands are " + ", ".join(COMMANDS)
        )
    if not any(a in COMMANDS for a in argv[:1]) and not any(a in ("-h", "--help", "--version") for a in argv):
        argv.insert(0, "build")
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    if args.command == "init":
        return starter.init(args.dir)
    project_root = (project_root or find_project_root(Path.cwd()) or Path.cwd()).resolve()
    options = options_from(args, project_root)
    if not options.content_dir.is_dir():
        if args.content is not None:
            return usage_error(f"no content folder at {options.content_dir}")
        return usage_error(
            f"no site here: no content/{CONFIG_NAME} in {Path.cwd()} or any folder above it",
            "start one with 'somos-site init DIR', or name a content folder with --content DIR",
        )
    try:
        return dispatch(args, options)
    except KeyboardInterrupt:
        return 130
    except (OSError, OutputBusy, PublishError) as exc:
        # The user's machine (a full disk, a busy port), not a bug: say what to do.
        problem = environment_problem(exc, options)
        if args.debug:
            raise
        if problem is None:
            return internal_error(exc)
        print(f"somos-site: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # an internal error: a bug, not the user's mistake
        if args.debug:
            raise
        return internal_error(exc)


def environment_problem(exc: Exception, options: Options) -> str | None:
    """The message for an error of the user's machine (not a bug in this program), or None."""
    if isinstance(exc, (OutputBusy, PublishError)):
        hint = getattr(exc, "hint", None)
        return f"{exc}" + (f"\n  hint: {hint}" if hint else "")
    assert isinstance(exc, OSError)
    if exc.errno == errno.EADDRINUSE:
        return "the port is already in use (another server is running there)\n  hint: choose another with --port N"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "that address is not available on this machine\n  hint: use --host 127.0.0.1"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
        message, hint = explain_os_error(exc, options.out_dir)
        return message + (f"\n  hint: {hint}" if hint else "")
    return None


def internal_error(exc: Exception) -> int:
    print(f"somos-site: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
    print("  run again with --debug to see the traceback, and please report it", file=sys.stderr)
    return EXIT_USAGE


def dispatch(args: argparse.Namespace, options: Options) -> int:
    if args.command == "new":
        return create_entry(options, args)
    if args.command == "serve":
        from somos_site.serve import serve  # livereload is only needed here

        return serve(options, args.host, args.port)
    started = time.perf_counter()
    result = run(options, write_output=args.command == "build", progress=progress_line())
    if sys.stdout.isatty():
        print("\r\033[K", end="", flush=True)
    if args.command == "check":
        return check_report(args, options, result, started)
    report(result)
    if not result.ok:
        if args.command == "build":
            print("nothing was written; the previous site is unchanged", file=sys.stderr)
        return EXIT_CONTENT
    elapsed = time.perf_counter() - started
    if args.command == "build":
        print(f"built {result.page_count} pages into {options.out_dir} in {elapsed:.2f} s")
    else:
        print(f"checked {result.page_count} pages in {elapsed:.2f} s: no errors")
    return EXIT_OK

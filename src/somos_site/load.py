"""Stage 1, load: read the content folder into `SourceFile`s. Only syntax is checked here
(encoding, front-matter fences, YAML); meaning is `validate`'s job."""

from __future__ import annotations

import bisect
import os
import re
from pathlib import Path

import yaml

from somos_site.diagnostics import Diagnostic, Span, error
from somos_site.model import LoadedContent, SourceFile

# libyaml's composer is about 9x faster than the pure-Python one and keeps the same marks.
YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# C0 control characters other than tab and newline (carriage returns are normalised first),
# and the two private-use characters the Markdown stage reserves for its placeholders.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")
CONFIG_NAME = "site.yaml"
FENCE = "---"


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_content(
    content_dir: Path, static_dir: Path | None, previous: dict[Path, tuple[tuple[int, int], SourceFile]] | None = None
) -> tuple[LoadedContent, list[Diagnostic]]:
    """Read the content folder. With `previous` (path -> ((mtime, size), file) of the last
    load), files whose modification time and size did not change are not read again."""
    diagnostics: list[Diagnostic] = []
    content_dir = content_dir.resolve()
    config_file = None
    config_path = content_dir / CONFIG_NAME
    if config_path.is_file():
        config_file, found = read_yaml_file(config_path)
        diagnostics += found
    files = []
    for path in sorted(content_dir.rglob("*.md")):
        if path.is_symlink() and not _inside(path.resolve(), content_dir):
            diagnostics.append(
                error(
                    "symlink-outside",
                    f"'{path.name}' is a symlink to a file outside the content folder",
                    Span(display_path(path)),
                    hint="copy the file into content/ instead of linking to it",
                )
            )
            continue
        stamp = file_stamp(path)
        if previous and path in previous and previous[path][0] == stamp:
            files.append(previous[path][1])
            continue
        source, found = read_content_file(path, content_dir)
        diagnostics += found
        if source is not None:
            files.append(source)
    return LoadedContent(config_file, tuple(files), list_static(static_dir)), diagnostics


def file_stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return (status.st_mtime_ns, status.st_size)


def list_static(static_dir: Path | None) -> frozenset[str]:
    if static_dir is None or not static_dir.is_dir():
        return frozenset()
    return frozenset(p.relative_to(static_dir).as_posix() for p in static_dir.rglob("*") if p.is_file())


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def read_text(path: Path) -> tuple[str | None, list[Diagnostic]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                "encoding",
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                Span(display_path(path), line, col),
                hint="save the file as UTF-8 (most editors: 'Save with encoding')",
            )
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return control_characters(text, display_path(path))


def control_characters(text: str, display: str) -> tuple[str, list[Diagnostic]]:
    """Report each control character, and replace it with U+FFFD so that the later stages
    neither trip over it (YAML) nor publish it (HTML, XML feeds)."""
    found = list(CONTROL.finditer(text))
    if not found:
        return text, []
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    diagnostics = []
    for match in found:
        line = bisect.bisect_right(starts, match.start()) - 1
        character = match.group(0)
        name = "a NUL byte" if character == "\x00" else f"the control character U+{ord(character):04X}"
        diagnostics.append(
            error(
                "control-character",
                f"{name} is not allowed in content",
                Span(display, line + 1, match.start() - starts[line] + 1),
                "delete it; it is invisible in most editors (try searching for it by its code)",
            )
        )
    return CONTROL.sub("\ufffd", text), diagnostics


def compose_yaml(text: str, display: str, first_line: int) -> tuple[yaml.Node | None, list[Diagnostic]]:
    try:
        return yaml.compose(text, Loader=YamlLoader), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if "mapping values are not allowed" in problem:
            hint = "a value containing ': ' must be quoted"
        elif "found character '\\t'" in problem:
            hint = "indent YAML with spaces, not tabs"
        return None, [error("yaml-syntax", problem, Span(display, line, col), hint)]
    except yaml.YAMLError as exc:
        return None, [error("yaml-syntax", str(exc).split("\n")[0], Span(display, first_line, 1))]


def read_yaml_file(path: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    text, diagnostics = read_text(path)
    if text is None:
        return None, diagnostics
    display = display_path(path)
    node, found = compose_yaml(text, display, 1)
    return SourceFile(path, display, "", path.stem, None, text, node, 1, "", 1, not found), diagnostics + found


def split_name(path: Path) -> tuple[str, str | None]:
    """`the-leak.es.md` -> ('the-leak', 'es'); `the-leak.md` -> ('the-leak', None)."""
    stem = path.name[: -len(".md")]
    if "." in stem:
        slug, lang = stem.rsplit(".", 1)
        return slug, lang
    return stem, None


def read_content_file(path: Path, content_dir: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    text, read_problems = read_text(path)
    if text is None:
        return None, read_problems
    display = display_path(path)
    relative = path.relative_to(content_dir)
    folder = relative.parts[0] if len(relative.parts) > 1 else ""
    slug, lang = split_name(path)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return None, [
            *read_problems,
            error(
                "front-matter-missing",
                "the file does not start with front matter",
                Span(display, 1, 1, len(lines[0]) if lines else 1),
                hint="start the file with a '---' line, the fields (at least 'title: ...'), then '---'",
            ),
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if closing is None:
        return None, [
            *read_problems,
            error(
                "front-matter-missing",
                "the front matter is never closed",
                Span(display, 1, 1, 3),
                hint="add a '---' line after the last field",
            ),
        ]
    front_text = "\n".join(lines[1:closing])
    node, diagnostics = compose_yaml(front_text, display, 2)
    body = "\n".join(lines[closing + 1 :])
    source = SourceFile(path, display, folder, slug, lang, text, node, 2, body, closing + 2, not diagnostics)
    return source, read_problems + diagnostics

"""Stage 1, load: read the content folder into `SourceFile`s. Only syntax is checked here
(encoding, front-matter fences, YAML); meaning is `validate`'s job."""

from __future__ import annotations

import bisect
import fnmatch
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
    content_dir: Path,
    static_dirs: list[Path],
    previous: dict[Path, tuple[tuple[int, int], SourceFile]] | None = None,
    changed: ChangeSet | None = None,
) -> tuple[LoadedContent, list[Diagnostic]]:
    """Read the content folder. With `previous` (path -> ((mtime, size), file) of the last
    load), files whose modification time and size did not change are not read again.
    With `changed` as well (what the file watcher saw change since that load), the folder
    is not listed at all: only the changed files, and those the last load could not read,
    are looked at."""
    diagnostics: list[Diagnostic] = []
    content_dir = content_dir.resolve()
    config_file = None
    config_path = content_dir / CONFIG_NAME
    if config_path.is_file():
        config_file, found = read_yaml_file(config_path)
        diagnostics += found
    if previous and changed is not None:
        listed = listing_after(content_dir, previous, changed)
        if listed is not None:
            files, stamps, unread, found = listed
            loaded = LoadedContent(config_file, tuple(files), list_static(static_dirs), stamps, unread)
            return loaded, diagnostics + found
    files = []
    stamps: dict[Path, tuple[int, int]] = {}
    unread: list[Path] = []
    known = {str(path): known for path, known in previous.items()} if previous else {}
    for entry in markdown_files(content_dir):
        if entry.is_symlink() and not _inside(Path(entry.path).resolve(), content_dir):
            diagnostics.append(outside_symlink(Path(entry.path)))
            unread.append(Path(entry.path))
            continue
        try:
            status = entry.stat()
        except OSError:  # gone since the folder was listed, or a broken link: reading says which
            status = None
        stamp = (status.st_mtime_ns, status.st_size) if status is not None else None
        found_before = known.get(entry.path)
        if stamp is not None and found_before is not None and found_before[0] == stamp:
            files.append(found_before[1])
            stamps[found_before[1].path] = stamp
            continue
        source, found = read_content_file(Path(entry.path), content_dir)
        diagnostics += found
        if source is not None:
            files.append(source)
            if stamp is not None and not found:
                stamps[source.path] = stamp
        if source is None or found:  # read again next time, so that its problems stay reported
            unread.append(Path(entry.path))
    loaded = LoadedContent(config_file, tuple(files), list_static(static_dirs), stamps, tuple(unread))
    return loaded, diagnostics


class ChangeSet:
    """The paths the file watcher saw created, modified, moved or deleted since the last
    load (files or folders, anywhere under the content folder)."""

    def __init__(self, paths, unread: tuple[Path, ...] = ()) -> None:
        self.paths = [Path(p) for p in paths]
        self.unread = tuple(unread)  # the last load's files it could not read: read again


def outside_symlink(path: Path) -> Diagnostic:
    return error(
        "symlink-outside",
        f"'{path.name}' is a symlink to a file outside the content folder",
        Span(display_path(path)),
        hint="copy the file into content/ instead of linking to it",
    )


def listing_after(content_dir: Path, previous: dict, changed: ChangeSet):
    """(files, stamps, unread, diagnostics) of the content folder as a full listing would
    find it, from the last load and the change set alone: the unchanged files in their
    order, the changed ones read again. None when a folder appeared (a full listing is
    then simpler than walking it here)."""
    touched: dict[Path, None] = {}
    for path in [*changed.paths, *changed.unread]:
        path = path if path.is_absolute() else content_dir / path
        inside = in_folder(path, content_dir)
        if inside is None:
            continue
        if inside.is_dir():
            return None
        known = previous.get(inside)
        if known is not None and inside.suffix == ".md" and file_stamp(inside) == known[0]:
            continue  # reported, but the same as when it was read (a touch, a save without change)
        touched[inside] = None
    read: dict[Path, SourceFile | None] = {}
    files, stamps, unread, diagnostics = [], {}, [], []
    for path in touched:
        if path.suffix != ".md" or not path.is_file():
            continue
        if path.is_symlink() and not _inside(path.resolve(), content_dir):
            diagnostics.append(outside_symlink(path))
            unread.append(path)
            continue
        stamp = file_stamp(path)
        source, found = read_content_file(path, content_dir)
        diagnostics += found
        read[path] = source
        if source is None or found:  # read again next time, so that its problems stay reported
            unread.append(path)
        if source is not None and stamp is not None and not found:
            stamps[path] = stamp
    # A folder deleted or moved away: its files go too (a string test: 10,000 paths).
    gone = tuple(f"{p}{os.sep}" for p in touched if p.suffix != ".md" and not p.exists())
    for path, (stamp, source) in previous.items():
        if path in touched:  # read again above (in its place), or deleted
            source = read.pop(path, None)
            if source is not None:
                files.append(source)
        elif not (gone and str(path).startswith(gone)):
            files.append(source)
            stamps[path] = stamp
    added = [source for source in read.values() if source is not None]
    if added:  # new files, in the order of a full listing: the parts of the relative path in turn
        start = len(str(content_dir)) + 1
        files = sorted([*files, *added], key=lambda f: str(f.path)[start:].split(os.sep))
    return files, stamps, tuple(unread), diagnostics


def file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def in_folder(path: Path, folder: Path) -> Path | None:
    """`path` spelt under `folder` (already resolved), or None when it is outside it."""
    path = Path(os.path.abspath(path))
    if path == folder or folder in path.parents:
        return path
    try:
        return folder / path.parent.resolve().relative_to(folder) / path.name
    except (ValueError, OSError):
        return None


def markdown_files(folder: Path) -> list[os.DirEntry]:
    """The directory entry of every `*.md` under `folder`, in the order of
    `sorted(folder.rglob("*.md"))` (the parts of the path compared in turn; symlinked
    folders not entered): one `scandir` per folder, one `stat` per file and no `Path`
    made for a file already known, which at 10,000 files is most of what a rebuild after
    one edit spends on finding what changed."""
    found: list[tuple[tuple[str, ...], os.DirEntry]] = []

    def walk(directory: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError:
            return
        for entry in entries:
            if fnmatch.fnmatchcase(entry.name, "*.md"):
                found.append(((*parts, entry.name), entry))
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                walk(entry.path, (*parts, entry.name))

    walk(str(folder), ())
    found.sort(key=lambda item: item[0])
    return [entry for _, entry in found]


def list_static(static_dirs: list[Path]) -> frozenset[str]:
    """The relative paths of the static files of every folder (a site's own and the theme's)."""
    return frozenset(
        p.relative_to(folder).as_posix()
        for folder in static_dirs
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file()
    )


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
    return text, []


def control_characters(text: str, display: str, first_line: int = 1) -> tuple[str, list[Diagnostic]]:
    """Report each control character of a Markdown body, and replace it with U+FFFD so that
    it is not published (HTML, XML feeds). YAML (front matter, site.yaml) reports its own
    as `yaml-syntax`, so those are not looked at here."""
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
                Span(display, first_line + line, match.start() - starts[line] + 1),
                "delete it; it is invisible in most editors (try searching for it by its code)",
            )
        )
    return CONTROL.sub("\ufffd", text), diagnostics


def compose_yaml(text: str, display: str, first_line: int) -> tuple[yaml.Node | None, list[Diagnostic]]:
    try:
        return yaml.compose(text, Loader=YamlLoader), []
    except yaml.MarkedYAMLError as exc:
        message, (line, column), hint = explain_yaml_error(exc, text.split("\n"))
        return None, [error("yaml-syntax", message, Span(display, first_line + line, column + 1), hint)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not accept anywhere
        line = text.count("\n", 0, exc.position)
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1)
        message = f"a control character (#x{exc.character:04x}) that YAML does not allow"
        hint = "delete it: editors often show it as a box, or not at all"
        return None, [error("yaml-syntax", message, Span(display, first_line + line, column + 1), hint)]
    except yaml.YAMLError as exc:
        return None, [error("yaml-syntax", str(exc).split("\n")[0], Span(display, first_line, 1))]


def explain_yaml_error(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str, tuple[int, int], str | None]:
    """(a message in plain words, the 0-based (line, column) of the character at fault,
    a hint) for libyaml's wording, which names parser states rather than the mistake."""
    mark = exc.problem_mark or exc.context_mark
    where = (mark.line, mark.column) if mark else (0, 0)
    opened = (exc.context_mark.line, exc.context_mark.column) if exc.context_mark else where
    problem, context = exc.problem or "", exc.context or ""
    line = lines[where[0]] if where[0] < len(lines) else ""
    if "tab character" in problem or "'\\t'" in problem or line[: where[1] + 1].lstrip(" ").startswith("\t"):
        tab = line.find("\t")
        return (
            "a tab character in the indentation",
            (where[0], tab if tab >= 0 else where[1]),
            "YAML does not allow tabs for indentation; use spaces",
        )
    if "cannot start any token" in problem:
        character = line[where[1] : where[1] + 1]
        return (
            f"a value cannot start with '{character}'",
            where,
            'put the whole value in quotes, e.g. "' + line[where[1] :].strip().replace('"', '\\"') + '"',
        )
    if "mapping values are not allowed" in problem:
        return (
            "a ': ' in the middle of a value",
            where,
            "a value containing ': ' must be quoted; a line starting a new field must not be indented",
        )
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        closing = "]" if "]" in problem else "}"
        return (
            f"the list opened here is never closed with '{closing}'",
            opened,
            f"close it with '{closing}' on the same line, and quote any item containing ',', '[' or ']'",
        )
    if "unknown escape character" in problem:
        return (
            "a backslash in double quotes starts an escape, and this one is not valid",
            where,
            "use single quotes ('...') for text with backslashes, or write a backslash as \\\\",
        )
    if "quoted scalar" in context:
        return (
            "a quoted value is never closed",
            opened,
            "end the value with the same quote mark on the same line; a quote inside it is written \\\" or ''",
        )
    if "could not find expected ':'" in problem:
        return (
            "a line with no ':' after its field name",
            opened,
            "write 'field: value'; a line continuing the value above must be indented under it",
        )
    if "expected <block end>" in problem or "expected <block mapping" in problem:
        return (
            "this line's indentation does not match the lines above",
            where,
            "indent fields of the same level by the same number of spaces",
        )
    if "did not find expected key" in problem:
        return (
            "this text does not continue the field above",
            where,
            "a value that starts with a quote must end with it; otherwise check the indentation",
        )
    if "found undefined alias" in problem:
        return (problem, where, "put the value in quotes (single quotes keep '*', '&' and '\\' as they are)")
    return (problem or context or "invalid YAML", where, None)


def read_yaml_file(path: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    text, diagnostics = read_text(path)
    if text is None:
        return None, diagnostics
    display = display_path(path)
    node, found = compose_yaml(text, display, 1)
    return SourceFile(path, display, "", path.stem, None, text, node, 1, len(text), 1, not found), diagnostics + found


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
    body, read_problems = control_characters("\n".join(lines[closing + 1 :]), display, closing + 2)
    if read_problems:  # the file as diagnostics quote it: without the characters
        text = "\n".join([*lines[: closing + 1], body])
    start = sum(len(line) + 1 for line in lines[: closing + 1])  # the body is the text from there
    source = SourceFile(path, display, folder, slug, lang, text, node, 2, start, closing + 2, not diagnostics)
    return source, read_problems + diagnostics

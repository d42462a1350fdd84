"""The only module that knows the order of the stages:
load -> validate -> markdown -> resolve -> render -> check -> write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from somos_site import check, load, markdown, render, resolve, validate, write
from somos_site.diagnostics import Diagnostic, attach_source_lines, escalate, has_errors
from somos_site.resolve import Site
from somos_site.urls import base_path, output_file, page_path


@dataclass(frozen=True)
class Options:
    project_root: Path
    content_dir: Path
    templates_dir: Path
    static_dir: Path
    out_dir: Path
    template_overrides: Path | None = None  # templates here replace same-named defaults
    base_url: str | None = None
    cache_dir: Path | None = None  # rendered Markdown by content hash; None: no cache
    drafts: bool = False
    strict: bool = False

    @classmethod
    def for_project(cls, root: Path, **overrides) -> Options:
        root = Path(root)
        defaults = {
            "content_dir": root / "content",
            "templates_dir": root / "templates",
            "static_dir": root / "static",
            "out_dir": root / "_site",
            "cache_dir": root / ".cache" / "somos-site",
        }
        defaults.update({k: v for k, v in overrides.items() if v is not None})
        return cls(project_root=root, **defaults)


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: dict[str, bytes] = field(default_factory=dict)
    site: Site | None = None
    written: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.outputs if path.endswith(".html"))


def run(options: Options, write_output: bool = True) -> BuildResult:
    """Build the site in memory, check it, and publish it only if nothing is wrong."""
    result = BuildResult()
    found: list[Diagnostic] = []
    protected = {
        "content folder": options.content_dir,
        "templates folder": options.templates_dir,
        "static folder": options.static_dir,
        "project root": options.project_root,
    }
    if write_output:
        found += write.check_output_folder(options.out_dir, protected)
    loaded, diagnostics = load.load_content(options.content_dir, options.static_dir)
    found += diagnostics
    content, diagnostics = validate.validate(loaded, drafts=options.drafts)
    found += diagnostics
    if content is not None:
        bodies = markdown.render_bodies(content.entries, options.cache_dir)
        site, diagnostics = resolve.resolve(content, bodies)
        found += diagnostics
        result.site = site
        base_url = options.base_url or content.config.base_url
        if not base_url.endswith("/"):
            base_url += "/"
        outputs, diagnostics = render.render(site, template_dirs(options), base_url, loaded.static_files)
        found += diagnostics
        origins = {
            output_file(page_path(e.type.folder, e.slug, e.lang, site.default_lang)): e.file.display
            for e in content.entries
        }
        if not diagnostics:  # pages missing after a template error would only add noise
            out_name = load.display_path(options.out_dir)
            found += check.check_links(outputs, loaded.static_files, base_path(base_url), out_name, origins)
        found += check.check_content(site)
        result.outputs = outputs
    found = escalate(found, options.strict) if options.strict else found
    result.diagnostics = sorted(
        attach_source_lines(found, line_reader(loaded, result.outputs, options.out_dir)), key=Diagnostic.sort_key
    )
    if write_output and result.ok:
        write.publish(result.outputs, options.static_dir, loaded.static_files, options.out_dir)
        result.written = True
    return result


def template_dirs(options: Options) -> list[Path]:
    return [d for d in (options.template_overrides, options.templates_dir) if d is not None]


def line_reader(loaded, outputs: dict[str, bytes], out_dir: Path):
    files = {f.display: f for f in loaded.files}
    if loaded.config_file:
        files[loaded.config_file.display] = loaded.config_file
    out_prefix = load.display_path(out_dir) + "/"

    def read_line(path: str, number: int) -> str | None:
        if path in files:
            return files[path].line(number)
        if path.startswith(out_prefix) and path[len(out_prefix) :] in outputs:
            lines = outputs[path[len(out_prefix) :]].decode("utf-8").split("\n")
        else:
            try:
                lines = Path(path).read_text(encoding="utf-8").split("\n")
            except (OSError, UnicodeDecodeError):
                return None
        return lines[number - 1] if 0 < number <= len(lines) else None

    return read_line

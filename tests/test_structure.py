"""The package stays easy to follow: its modules import one another without circles
(type-only and function-level imports included: a circle hidden in a function is still
one), and no class grows past about 200 lines."""

import ast
from graphlib import CycleError, TopologicalSorter

from helpers import REPO

PACKAGE = REPO / "src" / "somos_site"
MAX_CLASS_LINES = 200


def module_name(path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path, known: set[str]) -> set[str]:
    """The package's modules that `path` imports, wherever the import statement is."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            inside = [alias.name for alias in node.names if alias.name.startswith("somos_site.")]
            names = [name.removeprefix("somos_site.") for name in inside]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = ".".join(filter(None, [parent, node.module]))
            elif node.module and (node.module + ".").startswith("somos_site."):
                base = node.module.removeprefix("somos_site").lstrip(".")
            else:
                continue
            # `from somos_site import render` imports the module render; `from somos_site.x import y`
            # imports x (y is a name in it).
            modules = [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
            names = [name if name in known else base for name in modules]
        else:
            continue
        found.update(name for name in names if name in known and name != own)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, known) for p in paths}


def test_the_graph_sees_the_imports_it_must():
    graph = import_graph()
    assert "resolve" in graph["render"] and "routing" in graph["render"]  # `from somos_site.x import y`
    assert "render" in graph["pipeline"]  # `from somos_site import render`
    assert "visuals.mapping" in graph["visuals"]  # relative imports in a subpackage


def test_no_module_imports_itself_through_others():
    try:
        order = list(TopologicalSorter(import_graph()).static_order())
    except CycleError as exc:
        raise AssertionError(f"import circle: {' -> '.join(exc.args[1])}") from None
    assert order.index("routing") < order.index("render")


def test_no_class_is_over_about_200_lines():
    too_long = [
        f"{path.relative_to(REPO)}:{node.lineno} {node.name}: {node.end_lineno - node.lineno + 1} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES
    ]
    assert too_long == []

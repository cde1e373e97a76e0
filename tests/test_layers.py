"""The layer contracts in pyproject.toml hold only for imports import-linter sees; an import inside a function is
seen too, but it is also how a cycle hides. In the domain packages and the layers under them every import of the
project's own packages stands at the top of its module, where a reader (and a cycle) meets it first."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from tests.test_packaging import packages as product_packages

ROOT = Path(__file__).resolve().parent.parent
# Where a late import is a choice, not a dodge: the command line and the jobs import what a command or a job needs
# when it runs (start-up time), the web app and the demo assemble everything, and the services container opens a
# store only when asked.
LATE_IMPORTS_ALLOWED = {"runtime", "workers", "web", "demo", "dashboard", "pages", "callbacks", "data"}


def _first_party() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return set(config["tool"]["importlinter"]["root_packages"])


def test_no_import_of_the_project_hides_inside_a_function_of_a_domain_package() -> None:
    ours = _first_party()
    hidden = []
    for package in sorted(ours - LATE_IMPORTS_ALLOWED):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
                for node in ast.walk(function):
                    names = (
                        [node.module or ""] if isinstance(node, ast.ImportFrom) else
                        [a.name for a in node.names] if isinstance(node, ast.Import) else []
                    )  # fmt: skip
                    line = getattr(node, "lineno", 0)
                    hidden += [f"{path.relative_to(ROOT)}:{line} {n}" for n in names if n.split(".")[0] in ours]
    why = "imports inside functions (move them to the top; a cycle they hid is a design problem):\n"
    assert not hidden, why + "\n".join(hidden)
    assert len(ours - LATE_IMPORTS_ALLOWED) >= 15  # the domain packages, pipeline, caching, security, config


def test_every_package_of_the_product_has_its_place_in_the_contracts_the_image_and_the_readme() -> None:
    """A new top-level package joins the import-linter contracts (its layer, the storage-client fence), ruff's
    first-party list, the image and the README's layout; setuptools finds it by itself. This says which is missing."""
    packages = set(product_packages())
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = {c["name"]: c for c in config["tool"]["importlinter"]["contracts"]}
    layers = next(c for c in contracts.values() if c["type"] == "layers")["layers"]
    in_layers = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    dockerfile, dockerignore = (ROOT / "Dockerfile").read_text(), (ROOT / ".dockerignore").read_text()
    readme = (ROOT / "README.md").read_text()
    places = {
        "import-linter root_packages": set(config["tool"]["importlinter"]["root_packages"]),
        "the layers contract": in_layers,
        "the storage-client fence": set(contracts["Storage clients only in data/"]["source_modules"]) | {"data"},
        "ruff's known-first-party": set(config["tool"]["ruff"]["lint"]["isort"]["known-first-party"]),
        "the Dockerfile": {p for p in packages if f"COPY {p} {p}" in dockerfile},
        ".dockerignore": {p for p in packages if f"!{p}/" in dockerignore},
        "the README's layout": {p for p in packages if f"| `{p}/` |" in readme},
    }
    missing = [f"{p}: not in {where}" for where, named in places.items() for p in sorted(packages - named)]
    assert not missing, "\n".join(missing)
    assert {"data", "alerts", "detection", "web"} <= packages


def test_every_callback_is_declared_by_a_decorator_above_its_function() -> None:
    """One registration style (``callbacks/__init__.py``): ``@callbacks.callback(...)`` right above the function, so a
    reader finds a callback's inputs and outputs where the function is; never ``callbacks.callback(...)(function)``
    somewhere below it."""
    elsewhere = []
    for path in sorted((ROOT / "callbacks").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Call):
                target = call.func.func
                if isinstance(target, ast.Attribute) and target.attr == "callback":
                    elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not elsewhere, "declare these with @callbacks.callback(...) above the function:\n" + "\n".join(elsewhere)
    assert len(list((ROOT / "callbacks").glob("*.py"))) >= 15

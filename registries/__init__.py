"""Clients of the public registries that sign-up checks against, and local stand-ins that speak their protocol.

Lives here: the company-registry client in the style of api-fns.ru (``fns``), the supply-contract registry
client in the style of open-gkh (``contracts``), their shared HTTP error handling (``http``) and the stand-in
HTTP servers with configurable data, latency and failures that the demo and the tests run (``standin``).
May import ``config`` only.
"""

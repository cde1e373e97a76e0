"""Dash callbacks, one module per page in ``pages/`` (plus ``shell`` for the app shell).

Each module has ``register(app)``. A callback reads the caller with ``auth.sessions.current_principal``
and calls plain functions in ``auth``, ``data`` and ``analytics``; it never queries a store itself.
Every callback goes through :func:`auth.guard.signed_in` (an unauthenticated POST is already
refused by the server, the guard keeps each callback honest on its own).
"""

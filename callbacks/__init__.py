"""Dash callbacks, one module per page in ``pages/`` (plus ``shell`` for the app shell).

Each module declares its callbacks as module-level functions with ``@callbacks.callback(...)`` (a
:class:`dashboard.callback_set.CallbackSet`), so each can be imported and tested by name; ``create_app`` finds
the modules in this package and calls each one's ``register(app)``. A callback reads the caller with
``context.sessions.current_principal`` and calls plain functions in the domain packages (``auth``, ``analytics``,
``partners``, ``forecasting``, ``alerts``…); it never imports ``data`` (a contract in ``pyproject.toml`` checks
it). Every callback goes through :func:`context.guard.signed_in` (an unauthenticated POST is already refused by
the server, the guard keeps each callback honest on its own).
"""

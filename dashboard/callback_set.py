"""A callbacks module's callbacks, declared at import and attached to each app that ``create_app`` builds.

``@callbacks.callback(Output…, Input…)`` above a module-level function records it (the function stays importable
and testable by name); ``callbacks.register(app)`` attaches every recorded callback to that app. Not
``dash.callback``: Dash hands its global callbacks to the first app only, and one process builds many apps (every
test, every gunicorn worker after a reload).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash


class CallbackSet:
    def __init__(self) -> None:
        self._declared: list[tuple[tuple[Any, ...], dict[str, Any], Callable[..., Any]]] = []

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def declare(function: Callable[..., Any]) -> Callable[..., Any]:
            self._declared.append((args, kwargs, function))
            return function

        return declare

    def register(self, app: dash.Dash) -> None:
        for args, kwargs, function in self._declared:
            app.callback(*args, **kwargs)(function)

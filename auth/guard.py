"""A decorator for Dash callbacks: the caller must be signed in (and hold one of ``roles``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from dash.exceptions import PreventUpdate

from auth.sessions import current_principal


def signed_in(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None or (roles and principal.role not in roles):
                raise PreventUpdate
            return fn(principal, *args, **kwargs)

        guarded.wattboard_guarded = True  # type: ignore[attr-defined]
        guarded.wattboard_roles = roles  # type: ignore[attr-defined]
        return guarded

    return wrap

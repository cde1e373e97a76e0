"""A decorator for Dash callbacks: the caller must be signed in (and hold one of ``roles``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from dash.exceptions import PreventUpdate
from werkzeug.exceptions import BadRequest

from context.sessions import current_principal

log = logging.getLogger(__name__)


def signed_in(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            principal = current_principal()
            if principal is None or (roles and principal.role not in roles):
                raise PreventUpdate
            try:
                return fn(principal, *args, **kwargs)
            except (TypeError, ValueError, OverflowError) as exc:
                # Inputs no page sends (a forged or mistyped callback body): a 400 that says so, never a 500.
                log.warning("callback %s refused its inputs: %s", fn.__name__, exc, exc_info=True)
                raise BadRequest(f"Запрос не понят: неверные значения полей ({str(exc)[:200]})") from None

        guarded.wattboard_guarded = True  # type: ignore[attr-defined]  # marks read by the request guard and the tests
        guarded.wattboard_roles = roles  # type: ignore[attr-defined]  # as above
        return guarded

    return wrap

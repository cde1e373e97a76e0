"""A callback's whole answer computed once and shared by every reader who would be sent the same one.

The data under a page's charts is cached already (``caching.answers``), but the answer built from it — figures,
tables, the words around them — was built again for every reader and every visit: with the per-request work, about a
third of the web workers' CPU under load. A callback wrapped in :func:`shared` (under ``signed_in``) keeps its answer
under a key made of

- the callback, the values it was called with and the inputs that fired it;
- all of the reader that may shape an answer: a consumer's organization (what they may see, whatever the page
  sends), the role (staff see every organization), whether they own it, the language and the zone they read times in
  — never who they are otherwise: two readers with the same rights share an answer, and only they;
- the data versions of what it may show: the consumer's organization, or for staff every organization's
  (``caching.answers.cached``: whatever changes data says so, and the next request computes afresh);
- the minute it is asked in: what moves with the clock alone ("today", a device gone silent) is at most a minute old.

Only for callbacks that read: not those that write (a recommendation marked done) or read what is the reader's own
(their notifications), and not a live chart's appended points.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from dash import ctx

from alerts.actions import reading_zone
from auth.principal import Principal
from caching.answers import ANYONE, cached
from context.services import services
from i18n import current_language

F = TypeVar("F", bound=Callable[..., Any])
KEEP_S = 120  # an answer is asked for by its minute: kept a little past it, not for the cache's hour


def shared(name: str) -> Callable[[F], F]:
    """The callback's answer shared as above; ``name`` names it in the cache (stable across releases' reloads)."""

    def wrap(callback: F) -> F:
        @functools.wraps(callback)
        def answer(principal: Principal, *args: Any) -> Any:
            svc = services()
            staff = principal.sees_all_organizations
            reader = (
                None if staff else principal.organization_id,
                principal.role,
                principal.is_owner,
                current_language(),
                reading_zone(svc, principal),
            )
            fired = tuple(sorted(ctx.triggered_prop_ids))
            minute = int(time.time() // 60)
            organizations = [ANYONE] if staff or principal.organization_id is None else [principal.organization_id]
            args_key = (args, fired, reader, minute)
            compute = functools.partial(callback, principal, *args)
            return cached(svc, f"callback:{name}", organizations, args_key, compute, keep_s=KEEP_S)

        return answer  # type: ignore[return-value]  # the callback's own signature, as functools.wraps says

    return wrap

"""Components built as the JSON Dash sends for them, not as Dash objects: for what every page load builds again.

A Dash component object is costly to build and to serialise: its constructor formats an error message for every
property it is given (importing the component's package to name its version) and ``to_plotly_json`` tries every
property name the component has. Measured on this machine: a table of 50 rows of 10 cells, built and serialised,
8.8 ms as Dash objects, 0.31 ms as :func:`el` builds it — the same JSON. Under load the shell's and the pages'
components were a fifth of the web workers' CPU.

``el(html.Td, "text", className="x")`` is what ``html.Td("text", className="x").to_plotly_json()`` gives, with the
same check of the property names (a ``TypeError`` naming the one the component does not have). Elements and Dash
objects mix freely: either may be the other's child, and a callback may answer with either. Use Dash objects where
Python code reads the component back; an element is only sent.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from dash.development.base_component import Component

Element = dict[str, Any]
_UNSET: Any = object()


@dataclass(frozen=True)
class _Spec:
    type: str
    namespace: str
    names: frozenset[str]
    wildcards: tuple[str, ...]  # ``data-``, ``aria-`` for HTML elements
    required: tuple[str, ...]  # dcc.Store's id, dcc.Link's href: Dash refuses the component without them


@functools.cache
def _spec(kind: type[Component]) -> _Spec:
    """What the component's generated constructor knows (it keeps it on the object it builds; it names a required
    property only by refusing to go without it)."""
    required: list[str] = []
    while True:
        try:
            probe = kind(**dict.fromkeys(required, "probe"))
            break
        except TypeError as refused:  # "Required argument `id` was not specified."
            missing = re.search(r"Required argument `(\w+)`", str(refused))
            if missing is None or missing[1] in required:
                raise
            required.append(missing[1])
    names = frozenset(probe._prop_names)  # set by the generated constructor
    wildcards = tuple(probe._valid_wildcard_attributes)
    return _Spec(kind._type, kind._namespace, names, wildcards, tuple(required))


def el(kind: type[Component], children: Any = _UNSET, **props: Any) -> Element:
    """``kind(children, **props)`` as the JSON Dash would send for it."""
    spec = _spec(kind)
    for name in props:
        if name not in spec.names and not name.startswith(spec.wildcards):
            raise TypeError(f"{spec.namespace}.{spec.type} has no property `{name}`: {', '.join(sorted(spec.names))}")
    for name in spec.required:
        if name not in props:
            raise TypeError(f"{spec.namespace}.{spec.type} needs `{name}`")
    if "children" in spec.names:
        props["children"] = None if children is _UNSET else children
    elif children is not _UNSET:
        raise TypeError(f"{spec.namespace}.{spec.type} takes no children")
    return {"props": props, "type": spec.type, "namespace": spec.namespace}

"""Dash's answers (the shell's layout, every callback's response, the callbacks' map) serialised by orjson in one pass.

Dash hands every answer to plotly's ``to_json_plotly``. With orjson installed plotly first tries orjson, which
refuses a Dash component, and then walks the whole answer in Python (``clean_to_json_compatible``) before encoding
it: for a page's layout that walk costs three times what the standard library's encoder would (measured: a 87 KB
tree of components 14.2 ms against 5.2 ms), and it was an eighth of the web workers' CPU under load. Here orjson
encodes the answer itself and asks :func:`_plain` only for what it does not know: a component gives its
``to_plotly_json()`` (whose children orjson then encodes in turn), anything else (pandas dates, object arrays,
decimals) is cleaned as plotly cleans it. The text is what plotly's orjson engine gives for the same answer,
``<``, ``>`` and ``/`` escaped the same way (the callbacks' map is embedded in a page). Should orjson refuse an
answer anyway, plotly's own encoder answers.

:func:`install` points Dash at :func:`dumps`: Dash's modules import ``to_json`` by name, so each module's name is
replaced (``dash._utils``, ``dash._callback``, ``dash.dash``, ``dash._validate``); ``tests/test_answer_json.py``
checks that each of them still exists and now serialises through here.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import orjson
from plotly.io._json import clean_to_json_compatible, to_json_plotly

DASH_MODULES = ("dash._utils", "dash._callback", "dash.dash", "dash._validate")
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("/", "\\u002f"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def _modules() -> dict[str, Any]:
    """What plotly's cleaner looks for (it takes the modules as an argument)."""
    return {
        "sage_all": None,
        "np": sys.modules.get("numpy"),
        "pd": sys.modules.get("pandas"),
        "image": sys.modules.get("PIL.Image"),
    }


def _plain(value: Any) -> Any:
    """What orjson cannot encode by itself, as something it can."""
    to_plotly_json = getattr(value, "to_plotly_json", None)
    if to_plotly_json is not None:
        return to_plotly_json()  # a component or a figure: its dict, whose children come back here as needed
    cleaned = clean_to_json_compatible(value, numpy_allowed=True, datetime_allowed=True, modules=_modules())
    if cleaned is value:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return cleaned


def dumps(value: Any) -> str:
    """The JSON text of an answer, as plotly's orjson engine writes it."""
    try:
        text = orjson.dumps(value, default=_plain, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one: plotly's encoder knows a few more things
        return str(to_json_plotly(value, engine="json"))
    for unsafe, safe in _UNSAFE:
        if unsafe in text:
            text = text.replace(unsafe, safe)
    return text


def install() -> None:
    """Every Dash module that serialises answers uses :func:`dumps` from now on."""
    for name in DASH_MODULES:
        module = importlib.import_module(name)
        if not hasattr(module, "to_json"):
            raise RuntimeError(f"{name} has no to_json: Dash changed how it serialises its answers")
        setattr(module, "to_json", dumps)  # noqa: B010  # a name in another package's module

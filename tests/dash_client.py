"""Calls Dash callbacks the way the browser does: an HTTP POST to ``/_dash-update-component``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests


class DashClient:
    """Builds callback requests from the app's own callback map, so ids and outputs stay in step."""

    def __init__(self, app, base: str, session: requests.Session) -> None:
        self.map = app.callback_map
        self.base = base
        self.session = session

    def key_for(self, output: str, changed: str | None = None) -> str:
        """The callback whose outputs include ``output`` (``"component-id.property"``); where several write it (the
        others declared with ``allow_duplicate``, their key's output ending ``@<hash>``), the one ``changed`` fires."""
        found = [k for k in self.map if any(output in (p, p.split("@")[0]) for p in k.strip(".").split("..."))]
        for key in found:
            fired_by = {f"{i['id']}.{i['property']}" for i in self.map[key]["inputs"]}
            if changed is None or changed in fired_by:
                return key
        if found:
            return found[0]
        raise KeyError(output)

    def call(self, output: str, values: Mapping[str, Any], changed: str | None = None) -> requests.Response:
        """POST the callback that writes ``output``; ``values`` maps ``id.prop`` of its inputs and states."""
        key = self.key_for(output, changed)
        spec = self.map[key]
        outputs = [
            [] if o.startswith("{") else dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
            for o in ([] if spec.get("no_output") else key.strip(".").split("..."))  # a callback for its effect only
        ]

        def items(kind: str) -> list[Any]:
            # A pattern-matching input ({"type": …, "rec": ALL}) is sent as the list of what it matched: nothing here.
            return [
                []
                if i["id"].startswith("{")
                else {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
                for i in spec[kind]
            ]

        inputs = items("inputs")
        first = next((i for i in inputs if isinstance(i, dict)), None)  # None: only pattern-matching inputs
        default = [f"{first['id']}.{first['property']}"] if first else []
        body: dict[str, Any] = {
            "output": key,
            "outputs": outputs if len(outputs) != 1 else outputs[0],
            "inputs": inputs,
            "state": items("state"),
            "changedPropIds": [changed] if changed else default,
        }
        return self.session.post(f"{self.base}/_dash-update-component", json=body, timeout=60)

    def outputs(self, output: str, values: dict[str, Any], changed: str | None = None) -> dict[str, Any]:
        """The callback's answer as ``{"id.prop": value}``; {} when it declined to update (204)."""
        response = self.call(output, values, changed)
        if response.status_code == 204:
            return {}
        response.raise_for_status()
        payload = response.json()["response"]
        return {f"{cid}.{prop}": value for cid, props in payload.items() for prop, value in props.items()}


def component(tree: Any, component_id: str) -> dict | None:
    """The component with this id in a layout as Dash sends it (``{"type", "namespace", "props"}`` nested), in any
    property that holds components (``children``, a menu's ``label``…)."""
    if isinstance(tree, dict):
        props = tree.get("props", {})
        if props.get("id") == component_id:
            return tree
        held = [v for v in props.values() if isinstance(v, dict | list)]
        return component(held, component_id) if held else None
    if isinstance(tree, list):
        return next((found for child in tree if (found := component(child, component_id)) is not None), None)
    return None

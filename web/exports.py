"""CSV and XLSX downloads of every chart and table: ``/export/<view>.<csv|xlsx>?<the page's URL state>``.

The route only wires: the caller, the page state of the query, the view's table (:mod:`exports.tables`, the same data
and tenant rules as the page) and the writer of the format (:mod:`exports.formats`), every text cell made inert
first (no formula reaches a spreadsheet). In Russian the CSV has a Russian Excel's layout (``?layout=en`` for commas
and points). The API's CSV stays machine-readable.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request
from flask.typing import ResponseReturnValue

from auth.access import DeviceNotFound, MeterNotFound
from context.services import services
from context.sessions import caller
from context.today import reader_today
from dashboard.view_state import NothingToShow, from_query
from exports.formats import WRITERS
from exports.formats.base import inert
from exports.tables import VIEWS
from i18n import current_language, say
from pricing.market import template_csv

blueprint = Blueprint("exports", __name__, url_prefix="/export")


@blueprint.route("/price-template.csv")
def price_template() -> ResponseReturnValue:
    """The layout of a business price file, to fill in (docs/tariffs.md describes it)."""
    caller()
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="wattboard-prices-template.csv"'},
    )


@blueprint.route("/<view>.<fmt>")
def download(view: str, fmt: str) -> ResponseReturnValue:
    if view not in VIEWS or fmt not in WRITERS:
        abort(404)
    page, build = VIEWS[view]
    principal = caller()
    today = reader_today()
    state = from_query(request.args, page, today)
    try:
        table = build(services(), principal, state, request.args)
    except (MeterNotFound, DeviceNotFound, NothingToShow):
        abort(404)
    except (ValueError, TypeError, OverflowError) as exc:
        return Response(say(exc), status=400, mimetype="text/plain; charset=utf-8")
    name = f"wattboard-{view}-{today.isoformat()}.{fmt}"
    writer = WRITERS[fmt]
    body = writer.write(inert(table), view, russian=request.args.get("layout", current_language()) == "ru")
    disposition = f'attachment; filename="{name}"'
    return Response(body, content_type=writer.content_type, headers={"Content-Disposition": disposition})

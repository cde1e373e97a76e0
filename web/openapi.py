"""The REST API's description: an OpenAPI 3.1 document served at ``/api/v1/openapi.json`` (public, like any API's
contract) and a readable reference at ``/docs/api`` for signed-in users, drawn from the same document.

The document is the contract the tests hold the API to: every API response the suite sees is validated against it
(``tests/openapi_check.py``) and schemathesis generates requests from it against a live app
(``tests/test_openapi.py``). A new endpoint in ``web/api.py`` gets its operation here.
"""

from __future__ import annotations

import html
from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue

from i18n import t
from web.forms import page

blueprint = Blueprint("openapi", __name__)

NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
DAY = {"type": "string", "format": "date", "examples": ["2026-11-01"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _json_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _query(name: str, description: str, schema: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Код точки учёта (как в списке `/meters`).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
}
SIGNED_IN = {
    "401": _error("Нужен вход: токен API (`Authorization: Bearer …`) или сессия браузера."),
}
POINT = {
    **SIGNED_IN,
    "404": _error("Точки с таким кодом нет среди ваших (чужие точки отвечают так же, как несуществующие)."),
}
RANGE = [
    _query("from", "Начало: дата ГГГГ-ММ-ДД (местная полночь точки) или момент ISO 8601.", {"type": "string"}),
    _query("to", "Конец (не включая): дата или момент ISO 8601.", {"type": "string"}),
]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string", "description": "Причина, которую можно показать человеку."}},
    },
    "Meter": {
        "type": "object",
        "required": ["code", "name", "organization", "timezone", "tariff_plan"],
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string"},
            "organization": {"type": "string"},
            "timezone": {"type": "string", "examples": ["Europe/Moscow"]},
            "tariff_plan": {"type": "string", "examples": ["single", "day_night", "three_zone"]},
            "address": NULLABLE_STRING,
        },
    },
    "Refusal": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "code": {"type": "string"}},
    },
    "PointPlace": {
        "type": "object",
        "required": ["meter", "source", "place", "may_change"],
        "properties": {
            "meter": {"type": "string"},
            "source": {
                "enum": ["coordinates", "address", None],
                "description": "coordinates — свои координаты точки; address — город или регион из адреса; null — "
                "место неизвестно, погоды нет.",
            },
            "place": {
                "anyOf": [
                    {
                        "type": "object",
                        "required": ["name", "latitude", "longitude"],
                        "properties": {
                            "name": {"type": "string", "examples": ["Екатеринбург", "56.84, 60.61"]},
                            "latitude": {"type": "number"},
                            "longitude": {"type": "number"},
                        },
                    },
                    {"type": "null"},
                ]
            },
            "may_change": {"type": "boolean", "description": "Вы можете задать координаты (владелец, администратор)."},
        },
    },
    "NewPlace": {
        "type": "object",
        "required": ["latitude", "longitude"],
        "properties": {
            "latitude": {"type": ["number", "null"], "minimum": -90, "maximum": 90, "examples": [56.84]},
            "longitude": {"type": ["number", "null"], "minimum": -180, "maximum": 180, "examples": [60.61]},
        },
    },
    "NewManualMeter": {
        "type": "object",
        "required": ["code", "name", "reading"],
        "properties": {
            "code": {"type": "string", "examples": ["KV-12"]},
            "name": {"type": "string", "examples": ["Квартира на Ленина"]},
            "tariff_plan": {"enum": ["single", "two_zone", "three_zone"]},
            "reading": {"const": "manual"},
            "address": {"type": "string"},
            "timezone": {"type": "string", "examples": ["Asia/Yekaterinburg"]},
        },
    },
    "NewRegisterReading": {
        "type": "object",
        "required": ["ts", "registers"],
        "properties": {
            "ts": {"type": "string", "examples": ["2026-11-25", "2026-11-25T10:00:00+05:00"]},
            "registers": {
                "type": "object",
                "description": "t1 (день или пик), t2 (ночь), t3 (полупик), кВт·ч",
                "additionalProperties": {"type": "number"},
                "examples": [{"t1": 12345.6, "t2": 6789.0}],
            },
            "replacement": {"type": "boolean", "description": "Счётчик заменён: показания начинаются заново."},
        },
    },
    "ManualPeriod": {
        "type": "object",
        "required": ["from", "to", "kwh", "total_kwh", "rub"],
        "properties": {
            "from": {"type": "string", "format": "date-time"},
            "to": {"type": "string", "format": "date-time"},
            "kwh": {"type": "object", "additionalProperties": {"type": "number"}, "description": "По зонам."},
            "total_kwh": {"type": "number"},
            "rub": NULLABLE_NUMBER,
        },
    },
    "ReadingAccepted": {
        "type": "object",
        "required": ["meter", "accepted", "period"],
        "properties": {
            "meter": {"type": "string"},
            "accepted": {"const": True},
            "period": {"anyOf": [_ref("ManualPeriod"), {"type": "null"}]},
        },
    },
    "RegisterReadings": {
        "type": "object",
        "required": ["meter", "tariff_plan", "timezone", "readings", "periods"],
        "properties": {
            "meter": {"type": "string"},
            "tariff_plan": {"type": "string"},
            "timezone": {"type": "string"},
            "readings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ts", "registers", "replacement"],
                    "properties": {
                        "ts": {"type": "string"},
                        "registers": {"type": "object", "additionalProperties": {"type": "number"}},
                        "replacement": {"type": "boolean"},
                    },
                },
            },
            "periods": {"type": "array", "items": _ref("ManualPeriod")},
        },
    },
    "Readings": {
        "type": "object",
        "required": ["meter", "granularity", "unit", "timezone", "from", "to", "readings"],
        "properties": {
            "meter": {"type": "string"},
            "granularity": {"enum": ["raw", "hour", "day"]},
            "unit": {"const": "kWh"},
            "timezone": {"type": "string"},
            "from": {"type": "string", "format": "date-time"},
            "to": {"type": "string", "format": "date-time"},
            "readings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ts", "value_kwh", "status"],
                    "properties": {
                        "ts": {"type": "string", "description": "UTC (…Z) или местный день (ГГГГ-ММ-ДД)."},
                        "value_kwh": {**NULLABLE_NUMBER, "description": "null — данных нет (не ноль)."},
                        "status": {"type": ["integer", "null"]},
                    },
                },
            },
        },
    },
    "Band": {
        "type": "object",
        "required": ["value", "lower", "upper"],
        "properties": {"value": NULLABLE_NUMBER, "lower": NULLABLE_NUMBER, "upper": NULLABLE_NUMBER},
    },
    "Forecast": {
        "type": "object",
        "required": ["meter", "status", "model", "points"],
        "properties": {
            "meter": {"type": "string"},
            "status": {"type": "string", "description": "ok — прогноз есть; none — ещё не считался; иначе ошибка."},
            "message": NULLABLE_STRING,
            "unit": {"const": "kWh"},
            "timezone": {"type": "string"},
            "model": NULLABLE_STRING,
            "model_version": NULLABLE_STRING,
            "fitted_at": NULLABLE_STRING,
            "training": {"type": "object"},
            "mape": NULLABLE_NUMBER,
            "coverage": NULLABLE_NUMBER,
            "baseline_mape": NULLABLE_NUMBER,
            "points": {
                "type": "array",
                "description": "Почасовой прогноз на 7 дней с 80-% интервалом.",
                "items": {"allOf": [_ref("Band"), {"type": "object", "required": ["ts"]}]},
            },
            "days": {"type": "array", "items": {"allOf": [_ref("Band"), {"type": "object", "required": ["day"]}]}},
            "month_end": {"type": ["object", "null"]},
        },
    },
    "TariffComparison": {
        "type": "object",
        "required": ["meter", "from", "to", "current", "plans", "cheapest", "kwh", "region"],
        "properties": {
            "meter": {"type": "string"},
            "from": DAY,
            "to": DAY,
            "current": {"type": "string"},
            "plans": {"type": "object", "additionalProperties": {"type": "number"}, "description": "План → рубли."},
            "cheapest": {"type": "string"},
            "kwh": {"type": "number"},
            "region": {"type": "string"},
        },
    },
    "CategoryCost": {
        "type": "object",
        "required": ["total", "energy", "capacity", "network", "kwh", "missing"],
        "properties": {
            "total": NULLABLE_NUMBER,
            "energy": {"type": "number"},
            "capacity": {"type": "number"},
            "network": {"type": "number"},
            "capacity_mw": {"type": "number"},
            "network_mw": {"type": "number"},
            "kwh": {"type": "number"},
            "projected": {"type": "boolean"},
            "missing": {"type": "boolean"},
        },
    },
    "PriceCategories": {
        "type": "object",
        "required": ["meter", "from", "to", "unit", "current", "allowed", "cheapest", "saving", "totals", "months"],
        "properties": {
            "meter": {"type": "string"},
            "from": DAY,
            "to": DAY,
            "unit": {"type": "string"},
            "current": {"type": "integer"},
            "allowed": {"type": "array", "items": {"type": "integer"}},
            "cheapest": {"type": "integer"},
            "saving": {"type": "number"},
            "projected": {"type": "boolean"},
            "demo_prices": {"type": "boolean"},
            "totals": {"type": "object", "additionalProperties": _ref("CategoryCost")},
            "months": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["month", "costs"],
                    "properties": {
                        "month": {"type": "string"},
                        "costs": {"type": "object", "additionalProperties": _ref("CategoryCost")},
                    },
                },
            },
        },
    },
    "Prices": {
        "type": "object",
        "required": ["region", "month", "unit", "published", "sheets", "peak_hours"],
        "properties": {
            "region": {"type": "string"},
            "month": {"type": "string"},
            "unit": {"type": "object"},
            "published": {"type": "boolean"},
            "sheets": {"type": "array", "items": {"type": "object", "required": ["category", "voltage", "version"]}},
            "peak_hours": {"type": ["object", "array", "null"]},
        },
    },
    "Recommendation": {
        "type": "object",
        "required": ["id", "kind", "meter", "saving_rub_year", "saving_kwh_year", "state", "params", "updated_at"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "meter": NULLABLE_STRING,
            "saving_rub_year": {"type": "number"},
            "saving_kwh_year": {"type": "number"},
            "state": {"enum": ["open", "done", "dismissed"]},
            "params": {"type": "object"},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    },
    "Notification": {
        "type": "object",
        "required": ["id", "kind", "severity", "state", "title", "text", "link", "created_at", "read"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string"},
            "severity": {"enum": ["info", "warning", "critical"]},
            "state": {"type": "string"},
            "title": {"type": "string"},
            "text": {"type": "string"},
            "link": NULLABLE_STRING,
            "created_at": {"type": "string", "format": "date-time"},
            "read": {"type": "boolean"},
        },
    },
    "IngestReport": {
        "type": "object",
        "required": ["batch", "records", "accepted", "rejected", "held", "duplicates", "errors", "error"],
        "properties": {
            "batch": {"type": ["integer", "string", "null"]},
            "records": {"type": "integer"},
            "accepted": {"type": "integer"},
            "rejected": {"type": "integer"},
            "held": {"type": "integer"},
            "duplicates": {"type": "integer"},
            "errors": {"type": "array", "description": "Отклонённые записи с причинами (они же — в dead-letter)."},
            "held_readings": {"type": "array"},
            "error": NULLABLE_STRING,
        },
    },
    "InnCheck": {
        "type": "object",
        "required": ["inn", "valid", "messages"],
        "properties": {
            "inn": {"type": "string"},
            "valid": {"type": "boolean"},
            "problem": NULLABLE_STRING,
            "registry": {"type": "object"},
            "messages": {"type": "object"},
        },
    },
}


def _operation(
    summary: str, tag: str, responses: dict[str, Any], parameters: list[dict[str, Any]] | None = None, **more: Any
) -> dict[str, Any]:
    return {"summary": summary, "tags": [tag], "parameters": parameters or [], "responses": responses, **more}


SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Код партнёра."}
PUSH_BODY = {"required": True, "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}}
PUSH_ANSWERS = {
    "202": _json(_ref("IngestReport"), "Принято; отклонённые записи — с причинами."),
    "400": _error("Пустое тело."),
    "401": _error("Неизвестный партнёр или неверный ключ."),
    "413": _error("Тело больше лимита партнёра."),
    "422": _json(_ref("IngestReport"), "Файл не разобран: причина в error, ничего не принято."),
    "503": _error("Брокер недоступен, ничего не принято — повторите позже."),
}

PATHS: dict[str, Any] = {
    "/meters": {
        "get": _operation(
            "Ваши точки учёта",
            "Точки и показания",
            {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["meters"],
                        "properties": {"meters": {"type": "array", "items": _ref("Meter")}},
                    },
                    "Точки, которые вам видны.",
                ),
                **SIGNED_IN,
            },
            operationId="listMeters",
        ),
        "post": _operation(
            "Добавить точку учёта с ручными показаниями (владелец организации)",
            "Ручные показания",
            {
                "201": _json(_ref("Meter"), "Точка создана."),
                "400": _json(_ref("Refusal"), "Не принято: причина по-русски и код."),
                "403": _error("Точки добавляет владелец организации."),
                **SIGNED_IN,
            },
            requestBody=_json_body("NewManualMeter"),
            operationId="createManualMeter",
        ),
    },
    "/meters/{code}/register-readings": {
        "get": _operation(
            "Показания регистров точки и расход между ними по зонам, в рублях",
            "Ручные показания",
            {"200": _json(_ref("RegisterReadings"), "Показания и периоды."), **POINT},
            [CODE],
            operationId="listRegisterReadings",
        ),
        "post": _operation(
            "Ввести показания регистров (T1, T2, T3) — как в личном кабинете поставщика",
            "Ручные показания",
            {
                "201": _json(_ref("ReadingAccepted"), "Принято; закрытый период — с расходом по зонам и рублями."),
                "400": _json(_ref("Refusal"), "Не принято: меньше прошлого, не те регистры, из будущего…"),
                "403": _error("Операторы показания не вводят."),
                **POINT,
            },
            [CODE],
            requestBody=_json_body("NewRegisterReading"),
            operationId="addRegisterReading",
        ),
    },
    "/meters/{code}/place": {
        "get": _operation(
            "Откуда погода точки: её координаты или город из адреса",
            "Точки и показания",
            {"200": _json(_ref("PointPlace"), "Место точки."), **POINT},
            [CODE],
            operationId="getPlace",
        ),
        "put": _operation(
            "Задать координаты точки (оба null — убрать: место снова по адресу); погода подтянется в течение 5 минут",
            "Точки и показания",
            {
                "200": _json(_ref("PointPlace"), "Новое место точки."),
                "400": _error("Не числа, вне диапазона или только одна координата — с причиной."),
                "403": _error("Координаты меняет владелец организации или администратор."),
                **POINT,
            },
            [CODE],
            requestBody=_json_body("NewPlace"),
            operationId="setPlace",
        ),
    },
    "/meters/{code}/readings": {
        "get": _operation(
            "Показания точки: сырые интервалы, по часам или по дням; JSON, CSV или Green Button (ESPI XML)",
            "Точки и показания",
            {
                "200": {
                    "description": "Показания за период (по умолчанию — последние сутки).",
                    "content": {
                        "application/json": {"schema": _ref("Readings")},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/atom+xml": {"schema": {"type": "string"}},
                    },
                },
                "400": _error("Неверный параметр (гранулярность, формат, даты) — с причиной."),
                **POINT,
            },
            [
                CODE,
                _query("granularity", "raw, hour (по умолчанию) или day.", {"enum": ["raw", "hour", "day"]}),
                _query("format", "json (по умолчанию), csv или espi.", {"enum": ["json", "csv", "espi"]}),
                *RANGE,
            ],
            operationId="getReadings",
        )
    },
    "/meters/{code}/forecast": {
        "get": _operation(
            "Прогноз точки: по часам на 7 дней и по дням до конца месяца, с интервалом и ошибкой модели",
            "Прогнозы и деньги",
            {"200": _json(_ref("Forecast"), "Сохранённый прогноз (или status none)."), **POINT},
            [CODE],
            operationId="getForecast",
        )
    },
    "/meters/{code}/tariffs": {
        "get": _operation(
            "Сколько стоило бы фактическое потребление на каждом тарифном плане",
            "Прогнозы и деньги",
            {
                "200": _json(_ref("TariffComparison"), "Стоимость по планам."),
                "400": _error("Нет или неверны даты."),
                **POINT,
            },
            [CODE, _query("from", "Первый день ГГГГ-ММ-ДД.", DAY, True), _query("to", "Последний день.", DAY, True)],
            operationId="compareTariffs",
        )
    },
    "/meters/{code}/price-categories": {
        "get": _operation(
            "Стоимость точки предприятия в каждой доступной ценовой категории (руб без НДС)",
            "Прогнозы и деньги",
            {
                "200": _json(_ref("PriceCategories"), "Итоги и помесячно."),
                "400": _error("Неверные даты."),
                "422": _error("Точка не принадлежит предприятию: у домохозяйств — тарифные планы."),
                **POINT,
            },
            [CODE, *RANGE],
            operationId="comparePriceCategories",
        )
    },
    "/prices": {
        "get": _operation(
            "Опубликованные уровни цен и пиковые часы региона за месяц",
            "Прогнозы и деньги",
            {"200": _json(_ref("Prices"), "Цены месяца."), "400": _error("Нет региона или месяца."), **SIGNED_IN},
            [
                _query("region", "Регион, как в справочнике цен.", {"type": "string"}, True),
                _query("month", "Месяц ГГГГ-ММ.", {"type": "string", "examples": ["2026-11"]}, True),
            ],
            operationId="getPrices",
        )
    },
    "/recommendations": {
        "get": _operation(
            "Рекомендации организации, от самой большой годовой экономии",
            "Советы и уведомления",
            {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["recommendations"],
                        "properties": {"recommendations": {"type": "array", "items": _ref("Recommendation")}},
                    },
                    "Рекомендации.",
                ),
                **SIGNED_IN,
            },
            [_query("org", "Организация (только для сотрудников Wattboard).", {"type": "string"})],
            operationId="listRecommendations",
        )
    },
    "/notifications": {
        "get": _operation(
            "Ваши уведомления, новые сначала",
            "Советы и уведомления",
            {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["unread", "notifications"],
                        "properties": {
                            "unread": {"type": "integer"},
                            "notifications": {"type": "array", "items": _ref("Notification")},
                        },
                    },
                    "Уведомления.",
                ),
                **SIGNED_IN,
            },
            [
                _query("limit", "Сколько (1–500, по умолчанию 100).", {"type": "string"}),
                _query("unread", "1 — только непрочитанные.", {"type": "string"}),
            ],
            operationId="listNotifications",
        )
    },
    "/ingest/{slug}": {
        "post": _operation(
            "Передача показаний партнёром в его формате (ключ партнёра)",
            "Партнёрам",
            PUSH_ANSWERS,
            [SLUG],
            requestBody=PUSH_BODY,
            security=[{"partnerKey": []}],
            operationId="pushReadings",
        )
    },
    "/ingest/{slug}/{kind}": {
        "post": _operation(
            "Передача партнёром показаний (readings) или состояний приборов (devices) в его формате",
            "Партнёрам",
            {**PUSH_ANSWERS, "404": _error("Неизвестный вид передачи: readings или devices.")},
            [
                SLUG,
                {
                    "name": "kind",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                    "description": "readings — показания, devices — состояния приборов.",
                },
            ],
            requestBody=PUSH_BODY,
            security=[{"partnerKey": []}],
            operationId="pushByKind",
        )
    },
    "/inn/{inn}": {
        "get": _operation(
            "Проверка ИНН при регистрации (контрольные цифры и реестр ФНС)",
            "Регистрация",
            {"200": _json(_ref("InnCheck"), "Итог проверки."), "429": _error("Слишком много проверок с адреса.")},
            [{"name": "inn", "in": "path", "required": True, "schema": {"type": "string"}, "description": "ИНН."}],
            security=[],
            operationId="checkInn",
        )
    },
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wattboard API",
            "version": "1",
            "description": "Потребление электроэнергии: точки учёта, показания, прогнозы, деньги, советы и "
            "уведомления. Вход — токен API (выдаётся командой `wattboard tokens create EMAIL`) в заголовке "
            "`Authorization: Bearer …` или сессия браузера. Каждый видит только точки своей организации. "
            'Ошибки — JSON `{"error": "…"}` с причиной.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Токен API пользователя."},
                "session": {"type": "apiKey", "in": "cookie", "name": "session", "description": "Сессия браузера."},
                "partnerKey": {"type": "http", "scheme": "bearer", "description": "Ключ партнёра (для передачи)."},
            },
        },
    }


@blueprint.route("/api/v1/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return jsonify(document())


@blueprint.route("/docs/api")
def reference() -> ResponseReturnValue:
    """The document as a page: each operation with its parameters and answers."""
    doc = document()
    sections = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            params = "".join(
                f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{t('api.in.' + p['in'])}</td>"
                f"<td>{'✓' if p.get('required') else ''}</td><td>{html.escape(p.get('description', ''))}</td></tr>"
                for p in op["parameters"]
            )
            answers = "".join(
                f"<li><code>{code}</code> — {html.escape(r['description'])}</li>" for code, r in op["responses"].items()
            )
            table = (
                f"<table class='table table-sm'><thead><tr><th>{t('api.param')}</th><th>{t('api.where')}</th>"
                f"<th>{t('api.required')}</th><th></th></tr></thead><tbody>{params}</tbody></table>"
                if params
                else ""
            )
            sections.append(
                f"<section class='mb-4' id='{op['operationId']}'><h2 class='h5'><span class='badge bg-secondary'>"
                f"{method.upper()}</span> <code>/api/v1{html.escape(path)}</code></h2>"
                f"<p>{html.escape(op['summary'])}</p>{table}<ul>{answers}</ul></section>"
            )
    intro = html.escape(doc["info"]["description"])
    body = f"<p>{intro}</p><p><a href='/api/v1/openapi.json'>openapi.json</a> — {t('api.machine')}</p>" + "".join(
        sections
    )
    return Response(page(t("api.title"), body, wide=True), mimetype="text/html")

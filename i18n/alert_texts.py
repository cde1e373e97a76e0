"""What an alert says, in the reader's language: the bell's title and text, the letter's subject and body and the
Slack message; times in the local zone of the point or device concerned, with a link to the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from analytics.timezones import local_moment

# kind -> state -> (Russian title, English title, Russian text, English text)
TEXTS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    "device_offline": {
        "firing": (
            "Прибор {subject} не на связи",
            "Device {subject} is offline",
            "Прибор {subject} на точке {meter} («{meter_name}») не выходит на связь с {since}. "
            "Проверьте питание и связь прибора.",
            "Device {subject} at point {meter} ({meter_name}) has been silent since {since}. "
            "Check its power and connection.",
        ),
        "resolved": (
            "Прибор {subject} снова на связи",
            "Device {subject} is back online",
            "Прибор {subject} на точке {meter} снова передаёт данные ({at}).",
            "Device {subject} at point {meter} reports again ({at}).",
        ),
    },
    "device_error": {
        "firing": (
            "Прибор {subject}: ошибка {code}",
            "Device {subject}: error {code}",
            "Прибор {subject} на точке {meter} сообщил об ошибке {code} ({at}).",
            "Device {subject} at point {meter} reported error {code} ({at}).",
        ),
        "resolved": (
            "Прибор {subject}: ошибка устранена",
            "Device {subject}: the error cleared",
            "Прибор {subject} на точке {meter} больше не сообщает об ошибке ({at}).",
            "Device {subject} at point {meter} no longer reports an error ({at}).",
        ),
    },
    "battery_low": {
        "firing": (
            "Прибор {subject}: батарея {battery} %",
            "Device {subject}: battery at {battery} %",
            "Заряд батареи прибора {subject} на точке {meter} — {battery} % (порог {threshold} %, {at}). "
            "Замените батарею, пока прибор не отключился.",
            "The battery of device {subject} at point {meter} is at {battery} % (threshold {threshold} %, {at}). "
            "Replace it before the device stops.",
        ),
        "resolved": (
            "Прибор {subject}: батарея в норме",
            "Device {subject}: battery fine",
            "Заряд батареи прибора {subject} — {battery} % ({at}).",
            "The battery of device {subject} is at {battery} % ({at}).",
        ),
    },
    "no_readings": {
        "firing": (
            "Нет данных с точки {subject}",
            "No data from point {subject}",
            "С точки {subject} («{meter_name}») нет показаний больше {hours} ч: последнее — {since}.",
            "Point {subject} ({meter_name}) has sent no readings for over {hours} h: the last one at {since}.",
        ),
        "never": (
            "Нет данных с точки {subject}",
            "No data from point {subject}",
            "С точки {subject} («{meter_name}») не пришло ни одного показания за {hours} ч с её создания.",
            "Point {subject} ({meter_name}) has not sent a single reading in the {hours} h since it was created.",
        ),
        "resolved": (
            "Данные с точки {subject} снова поступают",
            "Data from point {subject} arrives again",
            "Точка {subject} снова передаёт показания ({at}).",
            "Point {subject} sends readings again ({at}).",
        ),
    },
    "register_reset": {
        "firing": (
            "Сброс счётчика на точке {subject}",
            "Counter reset at point {subject}",
            "Показания регистра точки {subject} пошли вниз ({count} раз, последний — {at}): сброс или замена "
            "счётчика. Потребление посчитано без скачка; проверьте прибор.",
            "The register of point {subject} went backwards ({count} times, last at {at}): a reset or a meter "
            "swap. Consumption is counted without a spike; check the meter.",
        ),
        "resolved": (
            "Сброс счётчика на точке {subject} учтён",
            "Counter reset at point {subject} handled",
            "Прошли сутки после сброса счётчика точки {subject} ({at}).",
            "A day has passed since the counter reset of point {subject} ({at}).",
        ),
    },
    "clock_problem": {
        "firing": (
            "Часы прибора на точке {subject} расходятся",
            "The meter clock at point {subject} drifts",
            "Метки времени {count} показаний точки {subject} пришли со сдвигом и были исправлены ({at}).",
            "The timestamps of {count} readings of point {subject} were off and were corrected ({at}).",
        ),
        "resolved": (
            "Часы прибора на точке {subject}: отметка закрыта",
            "Meter clock at point {subject}: closed",
            "Прошли сутки после исправления меток времени точки {subject} ({at}).",
            "A day has passed since the timestamps of point {subject} were corrected ({at}).",
        ),
    },
    "unusual_consumption": {
        "firing": (
            "Необычное потребление на точке {subject}",
            "Unusual consumption at point {subject}",
            "Потребление точки {subject} {hours} ч подряд {direction} интервала прогноза: за последний час "
            "{actual} кВт·ч при прогнозе {forecast} кВт·ч ({at}).",
            "Consumption of point {subject} has been {direction_en} the forecast interval for {hours} h in a row: "
            "{actual} kWh in the last hour against {forecast} kWh forecast ({at}).",
        ),
        "resolved": (
            "Потребление точки {subject} снова в пределах прогноза",
            "Consumption of point {subject} is within the forecast again",
            "Потребление точки {subject} вернулось в интервал прогноза ({at}).",
            "Consumption of point {subject} is back inside the forecast interval ({at}).",
        ),
    },
    "sustained_change": {
        "firing": (
            "Потребление точки {subject} выросло",
            "Consumption of point {subject} has risen",
            "С {since} ({days} дн. подряд) точка {subject} потребляет больше, чем объясняют её обычные дни с поправкой "
            "на сезон и погоду: лишние {excess} кВт·ч (+{share} %), это уже {cost} ₽. Если рост не запланирован, "
            "проверьте оборудование. Годовую экономию Wattboard не обещает, пока рост не окажется постоянным.",
            "Since {since} ({days} days in a row) point {subject} has used more than its usual days explain, allowing "
            "for season and weather: {excess} kWh extra (+{share} %), {cost} ₽ so far. If the rise is not planned, "
            "check the equipment. Wattboard promises no yearly saving until the rise proves lasting.",
        ),
        "resolved": (
            "Потребление точки {subject} вернулось к обычному",
            "Consumption of point {subject} is back to usual",
            "Потребление точки {subject} снова в пределах её обычных дней ({at}).",
            "Consumption of point {subject} is within its usual days again ({at}).",
        ),
    },
    "over_budget": {
        "firing": (
            "Прогноз месяца выше бюджета",
            "The month's projection is over budget",
            "{subject}: прогноз на конец месяца — {projected}, бюджет — {budget} ({share} %).",
            "{subject}: the month-end projection is {projected} against a budget of {budget} ({share} %).",
        ),
        "resolved": (
            "Прогноз месяца в пределах бюджета",
            "The month's projection is within budget",
            "{subject}: прогноз на конец месяца — {projected}, бюджет — {budget}.",
            "{subject}: the month-end projection is {projected}, the budget {budget}.",
        ),
    },
    "peak_hours": {
        "firing": (
            "Завтра часы пик: {hours}",
            "Peak hours tomorrow: {hours}",
            "{day} — рабочий день; плановые часы пиковой нагрузки региона {hours} ({zone}). Потребление точек "
            "{points} в час пик оплачивается по цене мощности: каждый киловатт меньше в эти часы экономит около "
            "{saving} ₽ в месяц (без НДС).",
            "{day} is a working day; the region's planned peak hours are {hours} ({zone}). What points {points} use "
            "in the peak hour is paid at the capacity price: each kW less in those hours saves about {saving} ₽ a "
            "month (without VAT).",
        ),
        "resolved": (
            "Часы пик {day} прошли",
            "The peak hours of {day} are over",
            "Часы пик {day} прошли.",
            "The peak hours of {day} are over.",
        ),
    },
    "large_correction": {
        "firing": (
            "Крупное исправление данных точки {subject}",
            "Large correction of point {subject}",
            "Партнёр {partner} заменил {share} % потребления точки {subject} за {day}: было {old_kwh} кВт·ч, стало "
            "{new_kwh} кВт·ч за сутки (пакет {batch}). Прежние значения сохранены; оператор может откатить "
            "исправление.",
            "Partner {partner} replaced {share} % of the consumption of point {subject} on {day}: {old_kwh} kWh "
            "became {new_kwh} kWh for the day (batch {batch}). The previous values are kept; an operator can roll "
            "the correction back.",
        ),
        "resolved": (
            "Исправление данных точки {subject}: отметка закрыта",
            "Correction of point {subject}: closed",
            "Прошли сутки после исправления данных точки {subject} ({at}).",
            "A day has passed since the data of point {subject} were corrected ({at}).",
        ),
    },
    "reading_due": {
        "firing": (
            "Пора передать показания точки {subject}",
            "Time to submit the readings of point {subject}",
            "Поставщик принимает показания с {opens} по {closes}. Перепишите показания счётчика точки {meter} "
            "({meter_name}) и введите их в Wattboard на странице «Потребление»: расход за месяц и его стоимость "
            "появятся сразу. Последнее показание: {last}.",
            "The supplier takes readings from {opens} to {closes}. Copy the registers of point {meter} ({meter_name}) "
            "and enter them on the Consumption page: the month's use and cost appear at once. Last reading: {last}.",
        ),
        "resolved": (
            "Показания точки {subject} переданы",
            "Readings of point {subject} submitted",
            "Показания точки {meter} за этот месяц введены (или приём показаний закончился).",
            "This month's readings of point {meter} are in (or the window has closed).",
        ),
    },
    "connection_request": {
        "firing": (
            "{subject}: просят подключить точку {point}",
            "{subject}: asks to connect point {point}",
            "Организация {subject} просит подключить точку учёта {point} через «{supplier}» (контакт: {contact}). "
            "Настройте партнёра на странице «Партнёры».",
            "{subject} asks to connect metering point {point} through “{supplier}” (contact: {contact}). Set the "
            "partner up on the Partners page.",
        ),
        "resolved": (
            "{subject}: запрос на подключение {point} закрыт",
            "{subject}: the request to connect {point} closed",
            "Прошли сутки с запроса на подключение точки {point} ({at}).",
            "A day has passed since the request to connect point {point} ({at}).",
        ),
    },
    "held_readings": {
        "firing": (
            "Партнёр {subject}: показания на проверке",
            "Partner {subject}: readings held for review",
            "{count} показаний партнёра {subject} (точки {meters}) далеко за пределами их истории и не сохранены: "
            "примите или отклоните их на странице «Проверка данных».",
            "{count} readings from partner {subject} (points {meters}) are far outside their history and were not "
            "stored: accept or reject them on the Data review page.",
        ),
        "resolved": (
            "Партнёр {subject}: проверка закрыта",
            "Partner {subject}: review closed",
            "Прошли сутки с задержки показаний партнёра {subject} ({at}).",
            "A day has passed since readings from partner {subject} were held ({at}).",
        ),
    },
    "partner_feed": {
        "firing": (
            "Партнёр {subject}: данные не поступают",
            "Partner {subject}: no data coming in",
            "Партнёр {subject} не опрашивается успешно с {since}: {reason}.",
            "Partner {subject} has not been polled successfully since {since}: {reason}.",
        ),
        "resolved": (
            "Партнёр {subject}: данные снова поступают",
            "Partner {subject}: data comes in again",
            "Опрос партнёра {subject} снова успешен ({at}).",
            "Polling partner {subject} succeeds again ({at}).",
        ),
    },
    "weather_feed": {
        "firing": (
            "Погода для «{subject}» не обновляется",
            "Weather for {subject} is not updated",
            "Температура для «{subject}» не получена с {since}: {reason}. Прогнозы точек этого места строятся без "
            "погоды, графики показывают её с пропуском.",
            "No temperature for {subject} since {since}: {reason}. Forecasts of the points there go without the "
            "weather; charts show a gap in it.",
        ),
        "never": (
            "Погода для «{subject}» не получена",
            "Weather for {subject} cannot be fetched",
            "Температуру для «{subject}» не удалось получить ни разу: {reason}. Проверьте WATTBOARD_WEATHER_URL.",
            "The temperature for {subject} has never been fetched: {reason}. Check WATTBOARD_WEATHER_URL.",
        ),
        "resolved": (
            "Погода для «{subject}» снова обновляется",
            "Weather for {subject} is updated again",
            "Температура для «{subject}» снова получена ({at}).",
            "Temperatures for {subject} came in again ({at}).",
        ),
    },
    "dlq_growth": {
        "firing": (
            "Растёт очередь отклонённых записей",
            "The dead-letter queue is growing",
            "За последний час отклонено {count} записей (порог {threshold}). Причины: wattboard dlq list.",
            "{count} records were rejected in the last hour (threshold {threshold}). Reasons: wattboard dlq list.",
        ),
        "resolved": (
            "Очередь отклонённых записей больше не растёт",
            "The dead-letter queue stopped growing",
            "За последний час отклонено {count} записей ({at}).",
            "{count} records were rejected in the last hour ({at}).",
        ),
    },
    "system": {
        "firing": (
            "Wattboard: {summary}",
            "Wattboard: {summary}",
            "{description} ({at}).",
            "{description} ({at}).",
        ),
        "resolved": (
            "Wattboard: {summary} — устранено",
            "Wattboard: {summary} — resolved",
            "Устранено ({at}).",
            "Resolved ({at}).",
        ),
    },
}


def render(
    kind: str, state: str, subject: str, params: dict[str, Any], lang: str, when: dt.datetime
) -> tuple[str, str]:
    """(title, text) of an alert event for a reader of ``lang``, times in the zone the params name."""
    never = state == "firing" and kind in ("no_readings", "weather_feed") and not params.get("since_ts")
    variant = "never" if never else state
    ru_title, en_title, ru_text, en_text = TEXTS[kind][variant]
    zone = str(params.get("tz") or "Europe/Moscow")
    values = {key: _number(value, lang) for key, value in params.items()}
    values["subject"] = subject
    values["at"] = local_moment(when, zone, lang)
    if params.get("since_ts"):
        values["since"] = local_moment(dt.datetime.fromtimestamp(float(params["since_ts"]), dt.UTC), zone, lang)
    values.setdefault("since", values["at"])
    values.setdefault("meter", "—")
    values.setdefault("meter_name", "—")
    above = params.get("direction") in ("above", "выше")  # events stored before the keys said it in Russian
    values["direction"], values["direction_en"] = ("выше", "above") if above else ("ниже", "below")
    if kind == "over_budget" and params.get("unit"):
        unit = UNITS[str(params["unit"])][lang == "en"]
        values.update({k: f"{_number(float(params[k]), lang)} {unit}" for k in ("projected", "budget") if k in params})
    if str(params.get("reason")) in REASONS:
        values["reason"] = REASONS[str(params["reason"])][lang == "en"].format(minutes=params.get("minutes", "?"))
    title, text = (en_title, en_text) if lang == "en" else (ru_title, ru_text)
    return _fill(title, values), _fill(text, values)


# Why a feed is silent, when the detector says it with a key rather than a message of the feed's own.
REASONS = {
    "no_poll": ("нет успешного опроса за {minutes} мин", "no successful poll for {minutes} min"),
    "no_new_data": ("новых данных нет", "no new data"),
}
UNITS = {"rub": ("₽", "₽"), "kwh": ("кВт·ч", "kWh")}


def _number(value: Any, lang: str) -> Any:
    """Fractional numbers as the reader writes them: ``1 234,5`` in Russian (thin-space thousands), ``1,234.5``."""
    if not isinstance(value, float):
        return value
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",") if lang == "ru" else text


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def _fill(template: str, values: dict[str, Any]) -> str:
    return template.format_map(_Missing(values))

"""The monthly letter in the reader's language: subject, plain text and HTML with the chart inline (``cid:chart``).
HTML for mail clients: tables and inline styles, nothing fetched from elsewhere."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from reports.chart import bar_chart
from reports.comparison import MonthlyReport, change

MONTHS = {
    "ru": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
           "декабрь"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip
DATIVE_RU = ("январю", "февралю", "марту", "апрелю", "маю", "июню", "июлю", "августу", "сентябрю", "октябрю",
             "ноябрю", "декабрю")  # «к ноябрю прошлого года»  # fmt: skip
SHORT = {
    "ru": ("янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
WORDS = {
    "subject": ("Wattboard: {org} — отчёт за {month}", "Wattboard: {org} — {month} report"),
    "intro": ("Потребление электроэнергии за {month}.", "Electricity used in {month}."),
    "used": ("Израсходовано", "Used"),
    "cost": ("Стоимость", "Cost"),
    "vs_previous": ("к предыдущему месяцу", "against the month before"),
    "vs_year": ("к {month} прошлого года", "against {month} last year"),
    "no_data": ("нет данных", "no data"),
    "peers": (
        "Похожие организации ({count}, тот же вид и регион), на точку учёта: медиана {median}, лучшие 20 % — не более "
        "{best}. У вас — {own} ({versus} к медиане).",
        "Similar organizations ({count}, same kind and region), per metering point: median {median}, the best fifth "
        "{best} or less. Yours: {own} ({versus} against the median).",
    ),
    "best": (
        "Похожих организаций в регионе пока меньше пяти, поэтому сравниваем с вашим лучшим месяцем за год: "
        "{month} — {kwh}.",
        "There are fewer than five similar organizations in the region yet, so here is your best month of the "
        "year: {month} — {kwh}.",
    ),
    "outlook": (
        "Прогноз на конец месяца ({month}): {kwh} ({kwh_low} – {kwh_high}), около {rub}.",
        "Month-end projection ({month}): {kwh} ({kwh_low} – {kwh_high}), about {rub}.",
    ),
    "no_outlook": ("Прогноза на текущий месяц пока нет.", "No projection for this month yet."),
    "savings": ("Что можно сделать", "What you can do"),
    "no_savings": ("Новых рекомендаций нет.", "No new recommendations."),
    "per_year": ("до {rub} в год", "up to {rub} a year"),
    "chart": ("Потребление по месяцам, кВт·ч", "Consumption by month, kWh"),
    "open": ("Открыть Wattboard", "Open Wattboard"),
    "why": (
        "Вы получаете это письмо, потому что подписались на ежемесячный отчёт. Отписаться: {link}",
        "You get this letter because you subscribed to the monthly report. Unsubscribe: {link}",
    ),
    "kwh": ("{n} кВт·ч", "{n} kWh"),
    "rub": ("{n} ₽", "{n} ₽"),
}
SAVING_TITLES = {
    "tariff": ("Выгодный тарифный план", "A cheaper tariff plan"),
    "price_category": ("Выгодная ценовая категория", "A cheaper price category"),
    "baseload": ("Снизить ночную базовую нагрузку", "Bring the night base load down"),
    "peak_shift": ("Перенести нагрузку из пиковых часов", "Move load out of peak hours"),
    "unusual": ("Потребление выше обычного", "Consumption above the usual"),
    "data": ("Проверить прибор учёта", "Check the meter"),
}


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str
    images: dict[str, bytes]


def _w(key: str, lang: str) -> str:
    ru, en = WORDS[key]
    return en if lang == "en" else ru


def number(value: float, lang: str, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang != "en" else text


def _kwh(value: float | None, lang: str) -> str:
    return _w("no_data", lang) if value is None else _w("kwh", lang).format(n=number(value, lang))


def _rub(value: float | None, lang: str) -> str:
    return _w("no_data", lang) if value is None or value != value else _w("rub", lang).format(n=number(value, lang))


def _percent(fraction: float | None, lang: str) -> str:
    if fraction is None:
        return "—"
    sign = "+" if fraction > 0 else "−" if fraction < 0 else "±"
    return f"{sign}{number(abs(fraction) * 100, lang, 1)} %"


def _versus(kwh: float | None, before_kwh: float | None, before_rub: float | None, lang: str) -> str:
    """«+2,4 % (1 230 кВт·ч, 5 000 ₽)»: the change in kWh, and what that month was."""
    then = _kwh(before_kwh, lang) + (f", {_rub(before_rub, lang)}" if before_kwh is not None and before_rub else "")
    return f"{_percent(change(kwh, before_kwh), lang)} ({then})"


def month_name(month: dt.date, lang: str, year: bool = True) -> str:
    name = MONTHS["en" if lang == "en" else "ru"][month.month - 1]
    return f"{name} {month.year}" if year else name


def render(report: MonthlyReport, lang: str) -> Letter:
    lang = "en" if lang == "en" else "ru"
    month = month_name(report.month, lang)
    subject = _w("subject", lang).format(org=report.organization_name, month=month)
    lines: list[tuple[str, str]] = [
        (_w("used", lang), _kwh(report.kwh, lang)),
        (_w("cost", lang), _rub(report.rub, lang)),
        (
            _w("vs_previous", lang),
            _versus(report.kwh, report.previous_kwh, report.previous_rub, lang),
        ),
        (
            _w("vs_year", lang).format(
                month=DATIVE_RU[report.month.month - 1] if lang == "ru" else month_name(report.month, lang, year=False)
            ),
            _versus(report.kwh, report.last_year_kwh, report.last_year_rub, lang),
        ),
    ]
    if report.peers is not None:
        p = report.peers
        compare = _w("peers", lang).format(
            count=p.count,
            median=_kwh(p.median_per_point, lang),
            best=_kwh(p.best_fifth_per_point, lang),
            own=_kwh(p.own_per_point, lang),
            versus=_percent(p.versus_median, lang),
        )
    elif report.best is not None:
        compare = _w("best", lang).format(month=month_name(report.best.month, lang), kwh=_kwh(report.best.kwh, lang))
    else:
        compare = ""
    o = report.outlook
    outlook = (
        _w("outlook", lang).format(
            month=month_name(o.month, lang),
            kwh=_kwh(o.kwh, lang),
            kwh_low=number(o.kwh_low, lang),
            kwh_high=_kwh(o.kwh_high, lang),
            rub=_rub(o.rub, lang),
        )
        if o
        else _w("no_outlook", lang)
    )
    savings = [
        (
            SAVING_TITLES.get(s.kind, (s.kind, s.kind))[lang == "en"] + (f" ({s.meter_code})" if s.meter_code else ""),
            _w("per_year", lang).format(rub=_rub(s.rub_year, lang)) if s.rub_year > 0 else "",
        )
        for s in report.savings
    ]
    words = Words(_w("intro", lang).format(month=month), lines, compare, outlook, savings, f"{report.base_url}/profile")
    chart = bar_chart([kwh for _, kwh in report.history], highlight=len(report.history) - 1)
    return Letter(subject, _text(report, lang, words), _html(report, lang, subject, words), {"chart": chart})


@dataclass(frozen=True)
class Words:
    """What the letter says, worded once for both its parts."""

    intro: str
    lines: list[tuple[str, str]]  # (label, value): the month's figures
    compare: str
    outlook: str
    savings: list[tuple[str, str]]  # (title, yearly amount)
    profile: str  # where to unsubscribe


def _text(report: MonthlyReport, lang: str, w: Words) -> str:
    out = [report.organization_name, "", w.intro, ""]
    out += [f"{label}: {value}" for label, value in w.lines]
    out += ["", w.compare, "", w.outlook, "", _w("savings", lang) + ":"]
    out += [f"- {title} {amount}".rstrip() for title, amount in w.savings] or [_w("no_savings", lang)]
    out += ["", f"{_w('open', lang)}: {report.base_url}/", "", _w("why", lang).format(link=w.profile)]
    return "\n".join(out) + "\n"


def _html(report: MonthlyReport, lang: str, subject: str, w: Words) -> str:
    e = html.escape
    rows = "".join(
        f'<tr><td style="padding:4px 12px 4px 0;color:#6c757d">{e(label)}</td>'
        f'<td style="padding:4px 0;font-weight:600">{e(value)}</td></tr>'
        for label, value in w.lines
    )
    labels = "".join(
        f'<td style="font-size:11px;color:#6c757d;text-align:center">{SHORT[lang][m.month - 1]}</td>'
        for m, _ in report.history
    )
    items = "".join(f"<li>{e(title)} <b>{e(amount)}</b></li>" for title, amount in w.savings) or (
        f"<li>{e(_w('no_savings', lang))}</li>"
    )
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{e(subject)}</title></head>
<body style="font-family:Arial,sans-serif;color:#212529;max-width:600px;margin:0 auto;padding:16px">
<h1 id="report-title" style="font-size:20px">{e(report.organization_name)}</h1>
<p id="report-intro">{e(w.intro)}</p>
<table id="report-figures" style="border-collapse:collapse">{rows}</table>
<h2 style="font-size:16px;margin-top:20px">{e(_w("chart", lang))}</h2>
<img id="report-chart" src="cid:chart" width="560" height="180" alt="{e(_w("chart", lang))}"
 style="display:block;border:0">
<table style="width:560px;table-layout:fixed"><tr>{labels}</tr></table>
<p id="report-compare">{e(w.compare)}</p>
<p id="report-outlook">{e(w.outlook)}</p>
<h2 style="font-size:16px">{e(_w("savings", lang))}</h2>
<ul id="report-savings">{items}</ul>
<p><a id="report-open" href="{e(report.base_url)}/" style="color:#0d6efd">{e(_w("open", lang))}</a></p>
<p style="font-size:12px;color:#6c757d">{e(_w("why", lang).format(link=w.profile))}</p>
</body></html>
"""

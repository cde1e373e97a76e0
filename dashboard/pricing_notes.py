"""The words beside a rouble figure that say what it rests on (see :func:`analytics.business.pricing_facts`)."""

from __future__ import annotations

from typing import Any, cast

from dash import html

from analytics.market import category_of, voltage_or_default
from i18n import t


def pricing_label(meter: Any) -> str:
    """How a point is priced, in a word: a household's plan, or a business's category and voltage level."""
    category = category_of(meter.organization_kind, meter.price_category)
    if category is None:
        return t(f"tariff.{meter.tariff_plan}")
    return f"{t('category.n').format(n=category)}, {voltage_or_default(meter.voltage_level)}"


def priced_point_label(meter: Any) -> str:
    """A point as the tariff comparison's picker names it: code, name and how it is priced."""
    return f"{meter.code} — {meter.name} ({pricing_label(meter)})"


def money_suffix(facts: dict[str, object]) -> str:
    """«без НДС» after roubles of businesses only (households' regulated prices include VAT)."""
    return f" {t('money.no_vat')}" if facts.get("business") and not facts.get("households") else ""


def priced(figure: str, said: list[str]) -> Any:
    """A rouble figure with what it rests on, visible beside it (not hidden in a tooltip)."""
    if not said:
        return figure
    return html.Span([figure, html.Br(), html.Small(" ".join(said), className="text-muted wb-price-note")])


def notes(facts: dict[str, object]) -> list[str]:
    out = []
    if facts.get("business"):
        out.append(t("price.business_note"))
    if facts.get("demo"):
        out.append(t("price.demo_note"))
    for region, used in cast(list[tuple[str, str]], facts.get("fallback") or []):
        out.append(t("price.fallback").format(region=region, used=used))
    return out

"""The words beside a rouble figure that say what it rests on (see :func:`analytics.business.pricing_facts`)."""

from __future__ import annotations

from dashboard.i18n import t


def money_suffix(facts: dict[str, object]) -> str:
    """«без НДС» after roubles of businesses only (households' regulated prices include VAT)."""
    return f" {t('money.no_vat')}" if facts.get("business") and not facts.get("households") else ""


def notes(facts: dict[str, object]) -> list[str]:
    out = []
    if facts.get("business"):
        out.append(t("price.business_note"))
    if facts.get("demo"):
        out.append(t("price.demo_note"))
    for region, used in facts.get("fallback") or []:  # type: ignore[attr-defined]
        out.append(t("price.fallback").format(region=region, used=used))
    return out

"""The company registry (EGRUL/EGRIP) through an api-fns.ru-style service: ``GET /api/egr?req=<INN>&key=<key>``.

The answer is ``{"items": [{"ЮЛ": {...}}]}`` for a legal entity or ``{"items": [{"ИП": {...}}]}`` for a sole
trader, with the registry's Russian field names; an unknown INN gives ``{"items": []}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registries.http import get_json

_CLOSED = ("ликвид", "прекрат", "исключ", "недейств")


@dataclass(frozen=True)
class Company:
    inn: str
    name: str
    ogrn: str  # OGRN of a company, OGRNIP of a sole trader
    status: str  # the registry's own words, e.g. «Действующее»
    address: str = ""

    @property
    def active(self) -> bool:
        return not any(word in self.status.lower() for word in _CLOSED)


class FnsClient:
    def __init__(self, base_url: str, key: str, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def lookup(self, inn: str) -> Company | None:
        """The company or sole trader with this INN, or None if the registry has none."""
        answer = get_json(f"{self.base_url}/api/egr", {"req": inn, "key": self.key}, {}, self.timeout, "реестр ФНС")
        for item in answer.get("items", []) if isinstance(answer, dict) else []:
            company = _company(inn, item)
            if company is not None:
                return company
        return None


def _company(inn: str, item: dict[str, Any]) -> Company | None:
    if "ЮЛ" in item:
        body = item["ЮЛ"]
        name = body.get("НаимСокрЮЛ") or body.get("НаимПолнЮЛ") or ""
        return Company(
            inn, name, body.get("ОГРН", ""), body.get("Статус", ""), (body.get("Адрес") or {}).get("АдресПолн", "")
        )
    if "ИП" in item:
        body = item["ИП"]
        return Company(inn, "ИП " + body.get("ФИОПолн", ""), body.get("ОГРНИП", ""), body.get("Статус", ""))
    return None

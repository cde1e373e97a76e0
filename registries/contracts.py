"""The supply-contract registry through an open-gkh-style service:
``GET /api/v1/contracts?number=<number>`` with the key in ``X-Api-Key``.

The answer is ``{"items": [{"number", "supplier", "signed_on", "consumer_inn", "status"}]}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from registries.http import get_json


@dataclass(frozen=True)
class ContractCheck:
    ok: bool
    reason: str = ""  # why not: a code, said as err.contract.<reason> (unknown, other_inn, date, supplier, inactive)
    number: str = ""
    supplier: str = ""


class ContractsClient:
    def __init__(self, base_url: str, key: str, timeout: float = 3.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def check(self, number: str, inn: str, signed_on: dt.date, supplier: str = "") -> ContractCheck:
        """Does the contract exist, belong to this INN, match its date and supplier, and is it active?"""
        answer = get_json(
            f"{self.base_url}/api/v1/contracts",
            {"number": number},
            {"X-Api-Key": self.key},
            self.timeout,
            "реестр договоров",
        )
        items = answer.get("items", []) if isinstance(answer, dict) else []
        found = [i for i in items if str(i.get("number", "")).strip().lower() == number.strip().lower()]
        if not found:
            return ContractCheck(False, "unknown", number=number)
        contract = found[0]
        if contract.get("consumer_inn") != inn:
            return ContractCheck(False, "other_inn", number=number)
        if contract.get("signed_on") != signed_on.isoformat():
            return ContractCheck(False, "date", number=number)
        if supplier and supplier.strip().lower() not in str(contract.get("supplier", "")).lower():
            return ContractCheck(False, "supplier", number=number)
        if contract.get("status") != "active":
            return ContractCheck(False, "inactive", number=number)
        return ContractCheck(True, supplier=str(contract.get("supplier", "")))

"""What the local registry stand-ins know in the demo: the demo organizations, and companies to sign up with."""

from __future__ import annotations

from auth.inn import complete_inn
from demo.world import ORGS
from registries.standin import StandInRegistry

# Ready to sign up in the demo (printed at start-up): an active company with an active contract.
SIGNUP_INN = complete_inn("781012345")
SIGNUP_CONTRACT = ("ПЭС-2025/1001", "АО «Петроэлектросбыт»", "2025-03-01")
LIQUIDATED_INN = complete_inn("500112345")


def fill(fns: StandInRegistry, contracts: StandInRegistry) -> None:
    for i, org in enumerate(ORGS):
        fns.add_company(org.inn, org.name, f"10277000{i:05d}")
        contracts.add_contract(org.contract, org.inn, org.supplier, "2023-01-15")
    fns.add_company(SIGNUP_INN, "ООО «Новая пекарня»", "1257800012345")
    contracts.add_contract(SIGNUP_CONTRACT[0], SIGNUP_INN, SIGNUP_CONTRACT[1], SIGNUP_CONTRACT[2])
    fns.add_company(LIQUIDATED_INN, "ООО «Закрытое»", "1125000054321", status="Ликвидировано")
    contracts.add_contract("ТЕРМ-2020/7", SIGNUP_INN, SIGNUP_CONTRACT[1], "2020-02-01", status="terminated")

"""What the local registry stand-ins know in the demo: the demo organizations, and companies to sign up with."""

from __future__ import annotations

from auth.inn import complete_inn
from data.relational import Database, signups
from demo.world import ORGS
from registries.standin import StandInRegistry

# Ready to sign up in the demo (the next unused one is printed at start-up): active companies with active contracts.
SUPPLIER = "АО «Петроэлектросбыт»"
SIGNUP_COMPANIES = [
    (
        complete_inn(f"78101234{5 + i}"),
        f"ООО «Новая пекарня{'' if i == 0 else f' № {i + 1}'}»",
        f"12578000{12345 + i}",
        (f"ПЭС-2025/{1001 + i}", SUPPLIER, "2025-03-01"),
    )
    for i in range(5)
]
SIGNUP_INN, _, _, SIGNUP_CONTRACT = SIGNUP_COMPANIES[0]
LIQUIDATED_INN = complete_inn("500112345")


def next_signup(db: Database) -> tuple[str, tuple[str, str, str]] | None:
    """A company of the stand-in registry that has not signed up yet (INN, contract), or None when all have."""
    for inn, _name, _ogrn, contract in SIGNUP_COMPANIES:
        if not signups.inn_taken(db, inn):
            return inn, contract
    return None


def fill(fns: StandInRegistry, contracts: StandInRegistry) -> None:
    for i, org in enumerate(ORGS):
        fns.add_company(org.inn, org.name, f"10277000{i:05d}")
        contracts.add_contract(org.contract, org.inn, org.supplier, "2023-01-15")
    for inn, name, ogrn, (number, supplier, signed) in SIGNUP_COMPANIES:
        fns.add_company(inn, name, ogrn)
        contracts.add_contract(number, inn, supplier, signed)
    fns.add_company(LIQUIDATED_INN, "ООО «Закрытое»", "1125000054321", status="Ликвидировано")
    contracts.add_contract("ТЕРМ-2020/7", SIGNUP_INN, SIGNUP_CONTRACT[1], "2020-02-01", status="terminated")

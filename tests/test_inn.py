"""INN checks: the check digits, and the structure the tax service never issues (region 00)."""

from __future__ import annotations

import pytest
import requests

from auth.inn import complete_inn, inn_problem

# Large companies' INNs as published in the register (10 digits, regions 77, 23, 84, 16).
REAL = (
    "7707083893",
    "7736050003",
    "7708004767",
    "7706107510",
    "7708503727",
    "7740000076",
    "7712040126",
    "7736207543",
    "2309085638",
    "7728029110",
    "8401005730",
    "7707049388",
    "1644003838",
)


@pytest.mark.parametrize("inn", REAL)
def test_real_inns_are_valid(inn: str) -> None:
    assert inn_problem(inn) is None


@pytest.mark.parametrize("inn", ["0000000000", "000000000000", complete_inn("001234567"), complete_inn("0012345678")])
def test_region_00_is_refused_even_when_the_check_digits_add_up(inn: str) -> None:
    assert inn_problem(inn) == "region code 00 does not exist"


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_the_sign_up_check_says_why_in_russian(services, live_app) -> None:
    answer = requests.get(f"{live_app.url}/api/v1/inn/000000000000", timeout=10).json()
    assert answer["valid"] is False and "региона 00 нет" in answer["problem"]

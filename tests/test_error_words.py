"""The domain's errors in the reader's language: the domain raises a code and its numbers (or reads its words from
``i18n``), and a reader who switched to English reads English — a bad range on a page, a wrong price file, a refused
sign-up field — while the Russian reader reads what the product always said."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest
from flask import Flask, session

from analytics.series import BadRange, checked_days, parse_range
from auth.signup import SignupForm, form_problems
from i18n import say
from i18n.strings_errors import ERROR_STRINGS
from pricing import price_file

app = Flask(__name__)
app.secret_key = "test"


def _in(lang: str):
    context = app.test_request_context("/")
    context.push()
    session["lang"] = lang
    return context


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(ERROR_STRINGS))
def test_both_languages_of_an_error_take_the_same_numbers(key: str) -> None:
    ru, en = ERROR_STRINGS[key]
    assert _fields(ru) == _fields(en), key
    assert re.search("[а-яё]", ru, re.IGNORECASE) or ru == en or "«" in ru, key  # the Russian one is Russian


@pytest.mark.parametrize(
    ("bad", "ru", "en"),
    [
        (lambda: parse_range("2026-03-01", "2026-02-01"), "должно быть раньше его конца", "must come before its end"),
        (lambda: parse_range("2026-02-30", None), "«с» (from) — не дата ГГГГ-ММ-ДД", "from is neither a date"),
        (lambda: parse_range("1990-01-01", "2026-01-01"), "«с» (from): дата должна быть между", "from: the date must"),
        (lambda: checked_days("2026-01-01", "2026-13-01"), "«по» (to) — не дата", "to is neither a date"),
        (lambda: parse_range("2000-01-01", "2026-01-01"), "период — не длиннее 10 лет", "at most 10 years long"),
    ],
)
def test_a_bad_range_is_said_in_the_readers_language(bad, ru: str, en: str) -> None:
    with pytest.raises(BadRange) as caught:
        bad()
    for lang, expected in (("ru", ru), ("en", en)):
        context = _in(lang)
        try:
            assert expected in say(caught.value), (lang, say(caught.value))
        finally:
            context.pop()
    assert say(ValueError("как было")) == "как было"  # an error without a code says what it was raised with


def test_a_wrong_price_file_lists_every_problem_in_the_readers_language() -> None:
    rows = [
        ";".join(price_file.HEADER),
        "Свердловская область;2026-13;1;СН-II;цена;;;7512,40",
        "Свердловская область;2026-11;7;СН-II;цена;;;7512,40",
        "Свердловская область;2026-11;2;СН-II;ночь;;;-1",
    ]
    payload = "\n".join(rows).encode()
    context = _in("en")
    try:
        english = price_file.parse(payload, "prices.csv").errors
    finally:
        context.pop()
    russian = price_file.parse(payload, "prices.csv").errors  # no session: Russian
    assert english[:3] == [
        "row 2, column «месяц»: YYYY-MM is expected, not «2026-13»",
        "row 3, column «категория»: a number from 1 to 6 is expected, not «7»",
        "row 4, column «значение»: a price is above zero and below 100 000 000",
    ], english
    assert russian[0] == "строка 2, столбец «месяц»: ожидается ГГГГ-ММ, а не «2026-13»", russian


def test_a_sign_up_form_says_what_is_missing_in_the_readers_language() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    form = SignupForm("not-an-email", "short", " ", "7707083894", "", "Энергосбыт", tomorrow)
    context = _in("en")
    try:
        english = form_problems(form)
    finally:
        context.pop()
    russian = form_problems(form)
    assert english == {
        "email": "give an email address",
        "password": "the password needs at least 10 characters",
        "full_name": "give your name",
        "inn": "the INN's check digit does not match: check the digits",
        "contract_number": "give the supply contract's number",
        "contract_date": "the contract's date cannot be in the future",
    }, english
    assert russian["contract_date"] == "дата договора не может быть в будущем"
    assert russian["inn"] == "контрольное число ИНН не сходится — проверьте цифры"


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_an_account_letter_is_in_the_language_its_reader_chose(services, smtp) -> None:
    """A reset link to someone who reads Wattboard in English comes in English; to a Russian reader, in Russian."""
    from sqlalchemy import update

    from auth import password_reset
    from auth.inn import complete_inn
    from data.relational.models import User
    from tests.helpers import make_org, make_user

    make_org(services.db, "772300000", "ООО «Письма»", [])
    make_user(services.db, "en@pisma.ru", "consumer", complete_inn("772300000"))
    make_user(services.db, "ru@pisma.ru", "consumer", complete_inn("772300000"))
    with services.db.session() as s:
        s.execute(update(User).where(User.email == "en@pisma.ru").values(language="en"))
    for address in ("en@pisma.ru", "ru@pisma.ru"):
        password_reset.request_reset(services, address, "10.0.0.9")
    english, russian = (smtp.letters_to(a)[-1] for a in ("en@pisma.ru", "ru@pisma.ru"))
    assert english["Subject"] == "Wattboard: a new password"
    assert "To set a new password, open this link (it works for" in smtp.body(english)
    assert russian["Subject"] == "Wattboard: восстановление пароля"
    assert "Чтобы задать новый пароль, откройте ссылку" in smtp.body(russian)

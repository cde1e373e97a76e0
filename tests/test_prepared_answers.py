"""The callbacks' map and a page's HTML are built once per process and sent as the browser accepts them."""

from __future__ import annotations

import gzip
import json

import requests
from backports import zstd

from tests.helpers import login, make_user
from web import answer_json


def test_the_callbacks_map_is_dashs_gzipped_once_and_not_sent_again_to_who_has_it(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    browser = login(live_app.url, "a@x.ru")
    url = f"{live_app.url}/_dash-dependencies"
    first = browser.get(url, timeout=10)
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "gzip"
    assert first.json() == json.loads(answer_json.dumps(live_app.app._callback_list))  # what Dash itself would send
    raw = browser.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10).raw.read()
    assert json.loads(gzip.decompress(raw)) == first.json()
    plain = browser.get(url, headers={"Accept-Encoding": "identity"}, timeout=10)
    assert "Content-Encoding" not in plain.headers and plain.json() == first.json()
    again = browser.get(url, headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304 and again.content == b""
    assert requests.get(url, timeout=10).status_code == 401  # the login check still runs first


def test_a_pages_html_names_its_own_address_and_is_not_sent_again_to_who_has_it(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    browser = login(live_app.url, "a@x.ru")
    consumption = browser.get(f"{live_app.url}/consumption?step=day", timeout=10)
    analysis = browser.get(f"{live_app.url}/analysis", timeout=10)
    assert consumption.status_code == analysis.status_code == 200
    assert f'content="{live_app.url}/consumption?step=day"' in consumption.text
    assert f'content="{live_app.url}/analysis"' in analysis.text
    assert consumption.headers["ETag"] != analysis.headers["ETag"]
    same = browser.get(f"{live_app.url}/consumption?step=day", headers={"If-None-Match": consumption.headers["ETag"]})
    assert same.status_code == 304
    assert browser.get(f"{live_app.url}/consumption?step=day", timeout=10).text == consumption.text
    anonymous = requests.get(f"{live_app.url}/consumption", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_the_shell_goes_out_zstd_to_a_browser_that_takes_it_and_gzip_to_one_that_does_not(services, live_app) -> None:
    make_user(services.db, "a@x.ru", "admin")
    browser = login(live_app.url, "a@x.ru")
    url, came_from = f"{live_app.url}/_dash-layout", f"{live_app.url}/devices"
    answers = {}
    for accepted in ("gzip, deflate, br, zstd", "gzip, deflate"):  # Chromium's; an older browser's
        headers = {"Accept-Encoding": accepted, "Referer": came_from}
        answer = browser.get(url, headers=headers, stream=True, timeout=10)
        answers[answer.headers["Content-Encoding"]] = answer.raw.read()
    assert set(answers) == {"zstd", "gzip"}
    shell = json.loads(zstd.decompress(answers["zstd"]))
    assert shell == json.loads(gzip.decompress(answers["gzip"])) and "dev-table" in json.dumps(shell)

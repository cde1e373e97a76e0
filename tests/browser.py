"""Headless Chromium (Debian's chromium + chromium-driver) for the browser tests."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException

FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
    "--lang=ru",
)


@contextmanager
def chrome(downloads: Path | None = None) -> Iterator[webdriver.Chrome]:
    """Headless Chromium; files the pages download land in ``downloads``."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are reported to the console
    if downloads is not None:
        options.add_experimental_option(
            "prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False}
        )
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(service=webdriver.ChromeService("/usr/bin/chromedriver"), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def csp_violations(driver: webdriver.Chrome) -> list[str]:
    """What the page's Content-Security-Policy refused since the last call (from the browser's console)."""
    return [e["message"] for e in driver.get_log("browser") if "Content Security Policy" in e["message"]]


RECORD_CALLBACKS = """
window.__wbCallbacks = [];
const sent = window.fetch;
window.fetch = function (url, options) {
  try { window.__wbCallbacks.push(JSON.parse(options.body).output); } catch (e) { /* not a callback */ }
  return sent.apply(this, arguments);
};
"""


def record_callbacks(driver: webdriver.Chrome) -> None:
    """From the next page load on, every callback request the page sends is noted (see :func:`callbacks_sent`)."""
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CALLBACKS})


def callbacks_sent(driver: webdriver.Chrome, output: str) -> int:
    """How many callback requests this page has sent whose outputs name ``output`` (an id, or ``id.property``)."""
    return int(
        driver.execute_script(
            "return (window.__wbCallbacks || []).filter(o => o.includes(arguments[0])).length", output
        )
    )


def dash_id(**parts: str) -> str:
    """The DOM id Dash gives a pattern-matching component (``{"code": …, "type": …}``, keys sorted, no spaces)."""
    return json.dumps(dict(sorted(parts.items())), separators=(",", ":"))


def by_id(driver: webdriver.Chrome, element_id: str):
    """The element with this id, also a pattern-matching one (Dash writes those as JSON, which a CSS id selector
    cannot name)."""
    from selenium.common.exceptions import NoSuchElementException

    element = driver.execute_script("return document.getElementById(arguments[0]);", element_id)
    if element is None:
        raise NoSuchElementException(element_id)
    return element


def text_of(driver: webdriver.Chrome, element_id: str) -> str:
    """The element's text, or '' while the page has not rendered it yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    try:
        return by_id(driver, element_id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def click(driver: webdriver.Chrome, element_id: str) -> None:
    """Scroll the element into view and click it (a sticky bar can cover it for a native click)."""
    element = by_id(driver, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def download(driver: webdriver.Chrome, link_id: str, directory: Path, pattern: str, timeout: float = 20) -> Path:
    """Click a download link and wait for the file; if none comes, say what the server answered for that link."""
    import time

    href = driver.find_element("id", link_id).get_attribute("href")
    click(driver, link_id)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = next(iter(directory.glob(pattern)), None)
        # Chrome may name the file before it has written it: wait for its content and for no partial download.
        if found is not None and found.stat().st_size > 0 and not any(directory.glob("*.crdownload")):
            return found
        time.sleep(0.25)
    answer = driver.execute_script(
        "const r = await fetch(arguments[0]); return r.status + ' ' + (await r.text()).slice(0, 300);", href
    )
    files = sorted(p.name for p in directory.iterdir())
    raise AssertionError(
        f"no {pattern} within {timeout} s from {href}: the page is {driver.current_url}, "
        f"the folder holds {files}, the link answers now: {answer}"
    )


def choose(driver: webdriver.Chrome, dropdown_id: str, text: str) -> None:
    """Open a Dash 4 dropdown and pick the option whose label contains ``text``. A dropdown that a callback redraws
    just as it is opened (a page still answering the previous choice) closes again: it is opened once more."""
    from tests.helpers import wait_for

    def option_shown() -> Any:
        return next((o for o in driver.find_elements("css selector", "[role=option]") if text in o.text), None)

    for attempt in range(3):
        click(driver, dropdown_id)
        try:
            option = wait_for(option_shown, timeout=5 if attempt < 2 else 10)
            break
        except AssertionError:
            if attempt == 2:
                raise
    try:
        option.click()
    except ElementClickInterceptedException:  # the page redrew under the open list (a preview): click it in place
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", option)


def click_label(driver: webdriver.Chrome, container_id: str, text: str) -> None:
    """Click the radio or checkbox label with this text inside a container (dbc.RadioItems, dbc.Checklist)."""
    label = driver.find_element("xpath", f"//*[@id='{container_id}']//label[normalize-space()='{text}']")
    driver.execute_script("arguments[0].click();", label)


def sign_in(driver: webdriver.Chrome, base: str, email: str, password: str, then: str | None = None) -> None:
    """Fill the login form and wait for the page it leads to (``then``: that page instead of the overview)."""
    from tests.helpers import wait_for

    driver.get(f"{base}/login" + (f"?next={then}" if then else ""))
    driver.find_element("id", "email").send_keys(email)
    driver.find_element("id", "password").send_keys(password)
    button = driver.find_element("id", "login-submit")
    button.click()
    wait_for(lambda: _replaced(button), timeout=20)


def _replaced(element) -> bool:
    """True once the page the element belonged to has gone. Chrome reports a node of a document being replaced
    either as a stale reference or as "does not belong to the document"; both mean the same here."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False

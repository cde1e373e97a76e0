"""The forecast and recommendations pages in headless Chromium: the band and the projection, choosing a point, the
download, marking advice not relevant, the tariff table, a phone, and an operator's recompute with its progress bar."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from data.queue import QUEUE_NAMES
from forecasting import runs
from runtime.rq_runner import InlineWorker, run_worker_thread
from tests.browser import chrome, click, click_label, download, sign_in, text_of
from tests.forecast_world import NEEDY, seed
from tests.helpers import PASSWORD, make_user, wait_for
from workers import jobs

pytestmark = pytest.mark.slow


@pytest.fixture
def needy(services) -> int:
    org = seed(services, "needy", NEEDY)
    runs.start_run(services, org, reason="test")
    jobs.bind(services)
    InlineWorker(list(QUEUE_NAMES), connection=services.redis).work(burst=True, logging_level="WARNING")
    return org


def band_paths(driver) -> int:
    return len(driver.find_elements("css selector", "#fc-chart .scatterlayer .trace path.js-fill"))


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_a_consumer_reads_the_forecast_and_acts_on_advice(services, live_app, needy, tmp_path: Path) -> None:
    url = live_app.url
    with chrome(downloads=tmp_path) as driver:
        sign_in(driver, url, "needy@example.ru", PASSWORD)
        driver.get(f"{url}/forecast")
        wait_for(lambda: band_paths(driver) >= 1, timeout=30)
        wait_for(lambda: "кВт·ч" in text_of(driver, "fc-month-kwh"), timeout=20)
        wait_for(
            lambda: text_of(driver, "fc-accuracy").startswith("±") and "Модель:" in text_of(driver, "fc-model-info")
        )
        driver.get(f"{url}/forecast?meter=N-1")  # the page state is in the URL
        wait_for(lambda: text_of(driver, "fc-title") == "N-1", timeout=20)
        assert "N-1" in text_of(driver, "fc-meter")
        wait_for(lambda: "meter=N-1" in (driver.find_element("id", "fc-export-csv").get_attribute("href") or ""))
        csv = download(driver, "fc-export-csv", tmp_path, "wattboard-forecast-*.csv")
        header = csv.read_text(encoding="utf-8-sig").splitlines()[0]
        assert header == "Период, Москва (UTC+3);Факт;Прогноз;Нижняя граница;Верхняя граница"  # the zone named

        driver.get(f"{url}/recommendations")
        wait_for(lambda: "N-1: перейти на двухзонный тариф" in text_of(driver, "rec-cards"), timeout=30)
        wait_for(
            lambda: (
                "в год" in text_of(driver, "rec-tariff-N-1") and "Как посчитано" in text_of(driver, "rec-tariff-N-1")
            )
        )
        assert "N-3: снизить ночную базовую нагрузку" in text_of(driver, "rec-cards")
        # every card says what it rests on and how sure it is
        assert "Уверенность: высокая — это пересчёт фактического потребления" in text_of(driver, "rec-tariff-N-1")
        assert "нед. данных. Уверенность:" in text_of(driver, "rec-baseload-N-3")
        card = driver.find_element("id", "rec-tariff-N-1")
        dismiss = card.find_element("xpath", ".//button[normalize-space()='Не актуально']")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", dismiss)
        wait_for(lambda: "N-1: перейти" not in text_of(driver, "rec-cards"), timeout=20)
        click_label(driver, "rec-filter", "Выполненные и неактуальные")
        wait_for(lambda: "не актуально: needy@example.ru" in text_of(driver, "rec-tariff-N-1"), timeout=20)
        wait_for(lambda: "трёхзонный" in text_of(driver, "rec-tariff-table"), timeout=20)

        driver.set_window_size(390, 844)
        driver.get(f"{url}/recommendations")
        wait_for(lambda: "N-3" in text_of(driver, "rec-cards"), timeout=30)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the recommendations page scrolls sideways on a phone ({width} px)"


@pytest.mark.parametrize("relational_url", ["sqlite"], indirect=True)
def test_an_operator_recomputes_and_watches_the_progress_survive_a_reload(services, live_app, needy) -> None:
    make_user(services.db, "ops@example.ru", "operator")
    stop = threading.Event()
    with chrome() as driver:
        sign_in(driver, live_app.url, "ops@example.ru", PASSWORD)
        driver.get(f"{live_app.url}/forecast?meter=N-2")
        wait_for(lambda: text_of(driver, "fc-title") == "N-2", timeout=30)
        click(driver, "fc-recompute")
        wait_for(lambda: "Пересчёт: 0 из 2" in text_of(driver, "fc-progress-text"), timeout=20)
        driver.refresh()  # the run is found again after a reload
        wait_for(lambda: "из 2" in text_of(driver, "fc-progress-text"), timeout=20)
        worker = threading.Thread(target=run_worker_thread, args=(services.redis, stop, 0.2), daemon=True)
        worker.start()
        try:
            wait_for(lambda: "Прогноз пересчитан: 2 из 2" in text_of(driver, "fc-progress-text"), timeout=90)
        finally:
            stop.set()
            worker.join(timeout=60)

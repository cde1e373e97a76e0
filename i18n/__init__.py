"""The words, in Russian (the default) and English: the interface's strings (``t``, ``t_error``, and ``say`` for the
domain's errors; tables in ``strings_*.py``, ``key: (Russian, English)``), the caller's language
(``current_language``: the session's choice), and what an alert says in the bell, a letter, Telegram and Slack
(``alert_texts``). The domain packages return keys and numbers; the words are here.

Low in the layers (under ``alerts``, over ``analytics``), so that the web views, the REST API, the downloads, the Dash
pages and the alert delivery all read one table: may import ``analytics`` (time zones), Flask's session and
``config``; nothing else of the product.
"""

from __future__ import annotations

from flask import has_request_context, session

from i18n.strings_account import ACCOUNT_STRINGS
from i18n.strings_alerts import ALERT_STRINGS
from i18n.strings_audit import AUDIT_STRINGS
from i18n.strings_errors import ERROR_STRINGS
from i18n.strings_forecast import FORECAST_STRINGS
from i18n.strings_pages import PAGE_STRINGS
from i18n.strings_pricing import PRICING_STRINGS
from i18n.strings_review import REVIEW_STRINGS

LANGUAGES = ("ru", "en")

_STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("Wattboard — учёт электроэнергии", "Wattboard — electricity analytics"),
    "nav.overview": ("Обзор", "Overview"),
    "nav.consumption": ("Потребление", "Consumption"),
    "nav.logout": ("Выйти", "Log out"),
    "nav.language": ("English", "Русский"),
    "login.title": ("Вход в Wattboard", "Sign in to Wattboard"),
    "login.email": ("Электронная почта", "Email"),
    "login.password": ("Пароль", "Password"),
    "login.submit": ("Войти", "Sign in"),
    "login.failed": ("Неверная почта или пароль.", "Wrong email or password."),
    "login.csrf": ("Форма устарела, отправьте её ещё раз.", "The form expired; please submit it again."),
    "overview.title": ("Обзор", "Overview"),
    "overview.meters": ("Точки учёта", "Metering points"),
    "overview.org": ("Организация", "Organization"),
    "overview.code": ("Код", "Code"),
    "overview.name": ("Название", "Name"),
    "overview.tz": ("Часовой пояс", "Time zone"),
    "overview.tariff": ("Тариф", "Tariff"),
    "overview.quality": ("Качество данных, 30 дн.", "Data quality, 30 days"),
    "overview.meters_shown": (
        "Показаны {shown} из {total} точек учёта: сначала те, чьи данные требуют внимания. "
        "Все — в выгрузке CSV или XLSX.",
        "{shown} of {total} metering points shown, those whose data need attention first. "
        "All of them are in the CSV or XLSX download.",
    ),
    "overview.complete": ("полнота", "complete"),
    "overview.resets": ("сбросы счётчика", "counter resets"),
    "overview.estimated": ("оценочные", "estimated"),
    "overview.clock_fixed": ("исправлено время", "clock fixed"),
    "consumption.title": ("Потребление", "Consumption"),
    "consumption.range": ("Период", "Period"),
    "consumption.granularity": ("Шаг", "Step"),
    "consumption.kwh": ("кВт·ч", "kWh"),
    "consumption.kw": ("кВт", "kW"),
    "weather.temperature": ("Температура воздуха, °C", "Air temperature, °C"),
    "consumption.total": ("Итого за период", "Total for the period"),
    "consumption.live": ("Сейчас", "Live"),
    "consumption.live_hint": (
        "Мощность за последние 15 минут, обновляется сама",
        "Power over the last 15 minutes, updates by itself",
    ),
    "consumption.archive": ("Архив", "Archive"),
    "consumption.no_data": ("Нет данных за выбранный период", "No data for the selected period"),
    "consumption.no_meter": ("Точка учёта не найдена или недоступна", "Metering point not found or not yours"),
    "consumption.last": ("Последнее показание", "Latest reading"),
    "nav.partners": ("Партнёры", "Partners"),
    "partners.title": ("Партнёры", "Partners"),
    "partners.list": ("Подключённые партнёры", "Connected partners"),
    "partners.slug": ("Код", "Slug"),
    "partners.name": ("Название", "Name"),
    "partners.format": ("Формат", "Format"),
    "partners.schedule": ("Опрос", "Polling"),
    "partners.last_poll": ("Последний опрос", "Last poll"),
    "partners.push_only": ("только приём", "push/import only"),
    "partners.create": ("Новый партнёр", "New partner"),
    "partners.config": ("Настройка (JSON)", "Configuration (JSON)"),
    "partners.secret": ("Секрет для опроса (ключ, токен или пароль)", "Pull secret (key, token or password)"),
    "partners.create_button": ("Создать", "Create"),
    "partners.created": (
        "Партнёр создан. Ключ для приёма данных (показывается один раз):",
        "Partner created. Its push key (shown once):",
    ),
    "partners.selected": ("Партнёр", "Partner"),
    "partners.test": ("Проверить подключение", "Test connection"),
    "partners.test_hint": ("Один запрос, ничего не сохраняется", "One fetch, nothing is stored"),
    "partners.upload": (
        "Перетащите файл сюда или выберите его для загрузки архива",
        "Drop a file here or pick one to import history",
    ),
    "partners.backfill": ("Дозагрузить период", "Backfill a period"),
    "partners.backfill_button": ("Запустить", "Start"),
    "partners.batches": ("Последние пакеты", "Recent batches"),
    "partners.records": ("Записей", "Records"),
    "partners.accepted": ("Принято", "Accepted"),
    "partners.rejected": ("Отклонено", "Rejected"),
    "partners.source": ("Источник", "Source"),
    "partners.received": ("Получен", "Received"),
    "partners.file": ("Файл / адрес", "File / URL"),
    "partners.error": ("Ошибка", "Error"),
    "partners.reason": ("Причина", "Reason"),
    "setup.title": ("Новый партнёр: пошаговая настройка", "New partner: guided set-up"),
    "setup.intro": (
        "Загрузите образец данных партнёра (или получите его по адресу опроса) — Wattboard предложит, как его читать, "
        "и сразу покажет, что будет сохранено и что отклонено. Ничего не сохраняется, пока вы не нажмёте «Создать».",
        "Upload a sample of the partner's data (or fetch it from the pull address): Wattboard proposes how to read it "
        "and shows at once what would be stored and what refused. Nothing is saved until you press “Create”.",
    ),
    "setup.step1": ("1. Партнёр и образец", "1. The partner and a sample"),
    "setup.format": ("Формат", "Format"),
    "setup.format.auto": ("Определить по образцу", "Tell from the sample"),
    "setup.format.csv": ("CSV (таблица)", "CSV (table)"),
    "setup.format.json": ("JSON (API)", "JSON (API)"),
    "setup.format.80020": ("XML 80020 (АТС)", "XML 80020"),
    "setup.format.espi": ("Green Button (ESPI)", "Green Button (ESPI)"),
    "setup.drop": ("Перетащите образец файла сюда или выберите его", "Drop a sample file here or choose it"),
    "setup.or_url": ("…или адрес для опроса", "…or the pull address"),
    "setup.url_hint": (
        "Можно использовать {since}, {until} и {meter}: Wattboard подставит границы периода и код счётчика.",
        "{since}, {until} and {meter} are filled in with the window and the meter's id.",
    ),
    "setup.fetch": ("Получить образец", "Fetch a sample"),
    "setup.sample": ("Образец: {name}, {size} КБ", "Sample: {name}, {size} KB"),
    "setup.err.url": ("Адрес начинается с http:// или https://.", "The address starts with http:// or https://."),
    "setup.err.large": ("Образец больше 2 МБ: возьмите часть файла.", "The sample is over 2 MB: take a part of it."),
    "setup.step2": ("2. Первые записи и как их читать", "2. The first records and how to read them"),
    "setup.ts": ("Время", "Time"),
    "setup.value": ("Значение", "Value"),
    "setup.meter": ("Счётчик", "Meter"),
    "setup.meter.none": ("— один счётчик на файл —", "— one meter per file —"),
    "setup.records": ("Список записей", "List of records"),
    "setup.delimiter": ("Разделитель", "Delimiter"),
    "setup.decimal_comma": ("Дробная часть через запятую", "Decimal comma"),
    "setup.ts_format": ("Формат времени", "Time format"),
    "setup.epoch": ("Unix, секунды", "Unix seconds"),
    "setup.epoch_ms": ("Unix, миллисекунды", "Unix milliseconds"),
    "setup.no_mapping": (
        "Этот формат читается без настройки столбцов.",
        "This format is read without choosing columns.",
    ),
    "setup.step3": ("3. Единицы, время и точки учёта", "3. Units, time and metering points"),
    "setup.units": ("Единицы", "Units"),
    "setup.timezone": ("Часовой пояс времени в данных", "Time zone of the times"),
    "setup.value_kind": ("Что передаёт партнёр", "What the partner sends"),
    "setup.kind.interval": ("Расход за интервал", "Use per interval"),
    "setup.kind.cumulative": ("Показания счётчика (нарастающим итогом)", "Register readings (cumulative)"),
    "setup.interval": ("Интервал", "Interval"),
    "setup.organization": ("Организация, чьи точки обслуживает партнёр", "The organization whose points it serves"),
    "setup.auto_create": (
        "Создавать точки учёта для новых счётчиков партнёра",
        "Create metering points for the partner's new meters",
    ),
    "setup.map": ("Счётчики образца → точки Wattboard", "The sample's meters → Wattboard's points"),
    "setup.map.same": ("— код совпадает —", "— same code —"),
    "setup.step4": ("4. Что будет сохранено", "4. What would be stored"),
    "setup.preview_wait": ("Загрузите образец: здесь появится результат.", "Upload a sample: the result shows here."),
    "setup.preview_sum": (
        "Записей {records}: будет принято {accepted}, отклонено {rejected}, на проверку {held}.",
        "{records} records: {accepted} would be stored, {rejected} refused, {held} held for review.",
    ),
    "setup.point": ("Точка учёта", "Metering point"),
    "setup.local": ("Начало интервала, {zone}", "Interval start, {zone}"),
    "setup.step5": ("5. Как будут поступать данные", "5. How the data will arrive"),
    "setup.mode.push": (
        "Партнёр отправляет сам (push): после создания покажем ключ",
        "The partner pushes: its key is shown once created",
    ),
    "setup.mode.pull": ("Wattboard опрашивает адрес партнёра по расписанию", "Wattboard polls the partner's address"),
    "setup.auth": ("Авторизация", "Authorization"),
    "setup.auth.none": ("Без авторизации", "None"),
    "setup.auth.api_key": ("Ключ в заголовке", "Key in a header"),
    "setup.auth.bearer": ("Bearer-токен", "Bearer token"),
    "setup.auth.basic": ("Логин и пароль (Basic)", "Login and password (Basic)"),
    "setup.auth_header": ("Заголовок ключа", "Key header"),
    "setup.username": ("Логин", "Login"),
    "setup.every": ("Опрашивать каждые", "Poll every"),
    "setup.minutes": ("{n} мин", "{n} min"),
    "setup.private": (
        "Адрес в частной сети (только администратор)",
        "The address is on a private network (administrators only)",
    ),
    "setup.create": ("Создать партнёра", "Create the partner"),
    "setup.created_pull": (
        "Партнёр создан: первый опрос — в течение минуты, дальше каждые {n} мин.",
        "Partner created: the first poll within a minute, then every {n} min.",
    ),
    "setup.advanced": ("Расширенная настройка (JSON) — для администраторов", "Advanced set-up (JSON): administrators"),
    "partners.every_s": ("каждые {n} с", "every {n} s"),
    "partners.requests": ("Запросы на подключение", "Connection requests"),
    "partners.requests_hint": (
        "Клиенты просят подключить свои точки через поставщика или оператора учёта: настройте партнёра ниже.",
        "Customers ask to connect their points through a supplier or meter-data operator: set the partner up below.",
    ),
    "partners.requests_none": ("Запросов нет", "No requests"),
    "partners.request.organization": ("Организация", "Organization"),
    "partners.request.point": ("Точка учёта", "Metering point"),
    "partners.request.supplier": ("Поставщик или оператор", "Supplier or operator"),
    "partners.request.contact": ("Контакт", "Contact"),
    "partners.request.by": ("Кто просит", "Asked by"),
    "partners.letters": ("Отклонённые записи (очередь отказов)", "Rejected records (dead letters)"),
    "partners.letters_none": ("Отказов нет", "Nothing rejected"),
    "partners.letters_hint": (
        "Последние отказы партнёра: исправьте источник или сопоставление точек и повторите «wattboard dlq replay».",
        "The partner's latest rejections: fix the source or the meter mapping, then run «wattboard dlq replay».",
    ),
    "partners.batch": ("Пакет", "Batch"),
    "partners.meter": ("Точка учёта", "Metering point"),
    "partners.ts_utc": ("Начало интервала (UTC)", "Interval start (UTC)"),
    "partners.kwh": ("кВт·ч", "kWh"),
    "partners.interval": ("Интервал, с", "Interval, s"),
    "partners.status": ("Статус", "Status"),
    "partners.record": ("Запись", "Record"),
    "partners.err.json": (
        "Конфигурация — не JSON: ошибка в строке {line}, позиции {column} (проверьте запятые и кавычки).",
        "The configuration is not JSON: an error at line {line}, column {column} (check commas and quotes).",
    ),
    "partners.err.not_object": (
        "Конфигурация должна быть объектом JSON: {{ … }}.",
        "The configuration must be a JSON object: {{ … }}.",
    ),
    "partners.err.exists": ("Партнёр с кодом «{slug}» уже есть.", "A partner with the code “{slug}” already exists."),
    "partners.err.slug": (
        "Код партнёра — от 3 до 60 строчных латинских букв, цифр и дефисов.",
        "The partner's code is 3 to 60 lowercase letters, digits and dashes.",
    ),
    "partners.err.private": (
        "Разрешить партнёру частную сеть может только администратор.",
        "Only administrators may let a partner reach private networks.",
    ),
    "partners.err.config": ("Конфигурация не принята: {problems}", "The configuration was not accepted: {problems}"),
    "partners.err.no_pull": (
        "У партнёра не настроен адрес для опроса (pull): проверить подключение можно только у опрашиваемых партнёров.",
        "The partner has no pull endpoint: only polled partners can be tested.",
    ),
    "partners.first_rows": ("Первые строки", "First rows"),
    "partners.job_done": ("Готово", "Done"),
    "partners.job_failed": ("Ошибка задания", "Job failed"),
    "partners.none": ("Партнёров пока нет", "No partners yet"),
    "partners.staff_only": (
        "Раздел доступен администраторам и операторам.",
        "This section is for administrators and operators.",
    ),
    "partners.pick": ("Выберите партнёра", "Pick a partner"),
    "tariff.single": ("одноставочный", "single rate"),
    "tariff.two_zone": ("двухзонный", "two-zone"),
    "tariff.three_zone": ("трёхзонный", "three-zone"),
}


_STRINGS.update(
    {
        "error.not_found": ("Страница не найдена", "Page not found"),
        "error.not_found_text": (
            "Такой страницы в Wattboard нет. Проверьте адрес или вернитесь к обзору.",
            "There is no such page in Wattboard. Check the address or go back to the overview.",
        ),
        "error.method": ("Так к этой странице обратиться нельзя", "This page cannot be used that way"),
        "error.too_large": ("Слишком большой запрос", "The request is too large"),
        "error.server": ("Что-то пошло не так", "Something went wrong"),
        "error.server_text": (
            "Мы уже записали ошибку. Попробуйте ещё раз через минуту.",
            "The error has been logged. Please try again in a minute.",
        ),
        "error.back": ("На главную", "Back to the overview"),
    }
)
_STRINGS.update(PAGE_STRINGS)
_STRINGS.update(AUDIT_STRINGS)
_STRINGS.update(ACCOUNT_STRINGS)
_STRINGS.update(FORECAST_STRINGS)
_STRINGS.update(ALERT_STRINGS)
_STRINGS.update(REVIEW_STRINGS)
_STRINGS.update(PRICING_STRINGS)
_STRINGS.update(ERROR_STRINGS)


def current_language() -> str:
    """The language chosen in this session; Russian until the user switches."""
    if has_request_context() and session.get("lang") in LANGUAGES:
        return session["lang"]
    return "ru"


def t_or(key: str, fallback: str) -> str:
    """The string for ``key``, or ``fallback`` where there is none (a code the interface does not name yet)."""
    return t(key) if key in _STRINGS else fallback


def t_error(prefix: str, exc: BaseException, limit: int | None = None) -> str:
    """An error that carries a ``code`` (and ``params``) in the reader's words (``<prefix>.<code>``), else as it was
    raised (cut to ``limit`` characters). A param that is itself a word of the same table (``range.from`` under
    ``err``) is said too."""
    code = getattr(exc, "code", None)
    if not (isinstance(code, str) and f"{prefix}.{code}" in _STRINGS):
        return str(exc)[:limit]
    params = {
        name: t(f"{prefix}.{value}") if isinstance(value, str) and f"{prefix}.{value}" in _STRINGS else value
        for name, value in getattr(exc, "params", {}).items()
    }
    return t(f"{prefix}.{code}").format(**params)


def say(exc: BaseException, limit: int | None = None) -> str:
    """What went wrong, in the reader's words. The domain raises an error with a ``code`` and its ``params``
    (:class:`analytics.series.BadRange` …); its words are ``err.<code>`` in ``strings_errors.py``. Any other error
    says what it was raised with (cut to ``limit`` characters)."""
    return t_error("err", exc, limit)


def t(key: str, lang: str | None = None) -> str:
    ru, en = _STRINGS[key]
    return en if (lang or current_language()) == "en" else ru

"""What the domain's errors say (``err.<code>``: ``key: (Russian, English)``), read by :func:`i18n.say`."""

from __future__ import annotations

ERROR_STRINGS: dict[str, tuple[str, str]] = {
    # Dates and ranges (analytics.series.BadRange, the pages' and the REST API's ?from=&to=).
    "err.range.order": (
        "начало периода («с», from) должно быть раньше его конца («по», to)",
        "the start of the period (from) must come before its end (to)",
    ),
    "err.range.order_days": (
        "начало периода («с», from) должно быть не позже его конца («по», to)",
        "the start of the period (from) must not come after its end (to)",
    ),
    "err.range.too_long": ("период — не длиннее {years} лет", "the period is at most {years} years long"),
    "err.range.not_text": (
        "{name}: ожидается дата ГГГГ-ММ-ДД, а не {kind}",
        "{name}: a date YYYY-MM-DD is expected, not {kind}",
    ),
    "err.range.not_a_date": (
        "{name} — не дата ГГГГ-ММ-ДД и не время ISO 8601: {text}",
        "{name} is neither a date YYYY-MM-DD nor an ISO 8601 time: {text}",
    ),
    "err.range.outside": (
        "{name}: дата должна быть между 01.01.2000 и 01.01.2100, а не {text}",
        "{name}: the date must lie between 01.01.2000 and 01.01.2100, not {text}",
    ),
    "err.range.day_outside": (
        "{name}: ожидается дата ГГГГ-ММ-ДД между 01.01.2000 и 31.12.2099",
        "{name}: a date YYYY-MM-DD between 01.01.2000 and 31.12.2099 is expected",
    ),
    "err.range.missing_day": ("укажите {name} — дату ГГГГ-ММ-ДД", "give {name} as a date YYYY-MM-DD"),
    "err.range.comparison_too_long": (
        "период сравнения — не длиннее трёх лет",
        "a comparison covers at most three years",
    ),
    "err.range.missing_region": (
        "укажите регион: ?region=…&month=ГГГГ-ММ",
        "give the region: ?region=…&month=YYYY-MM",
    ),
    "err.range.month": ("месяц — ГГГГ-ММ, а не {text}", "the month is YYYY-MM, not {text}"),
    "err.range.from": ("«с» (from)", "from"),
    "err.range.to": ("«по» (to)", "to"),
    # Signing up and inviting (auth.signup, auth.invites); the INN's own checks (auth.inn).
    "err.inn.digits": ("ИНН состоит только из цифр", "an INN has digits only"),
    "err.inn.check_digit": (
        "контрольное число ИНН не сходится — проверьте цифры",
        "the INN's check digit does not match: check the digits",
    ),
    "err.inn.length": (
        "ИНН организации — 10 цифр, ИНН физлица или ИП — 12",
        "an organization's INN has 10 digits, a person's or a sole trader's 12",
    ),
    "err.inn.region": (
        "первые две цифры ИНН — код региона, а региона 00 нет",
        "an INN's first two digits are a region's code, and there is no region 00",
    ),
    "err.signup.email": ("укажите адрес электронной почты", "give an email address"),
    "err.signup.password_short": ("пароль — не короче {n} символов", "the password needs at least {n} characters"),
    "err.signup.password_long": ("пароль — не длиннее {n} символов", "the password has at most {n} characters"),
    "err.signup.name": ("укажите имя", "give your name"),
    "err.signup.contract_number": ("укажите номер договора энергоснабжения", "give the supply contract's number"),
    "err.signup.supplier": ("укажите поставщика электроэнергии", "give the electricity supplier"),
    "err.signup.contract_future": (
        "дата договора не может быть в будущем",
        "the contract's date cannot be in the future",
    ),
    "err.signup.contract_date": ("укажите дату договора", "give the contract's date"),
    "err.signup.too_long": ("не длиннее {limit} символов (сейчас {now})", "at most {limit} characters (now {now})"),
    "err.signup.inn_unknown": ("ИНН {inn} не найден в реестре ФНС", "INN {inn} is not in the tax service's register"),
    "err.signup.inn_closed": (
        "{name} (ИНН {inn}): статус в реестре — «{status}»",
        "{name} (INN {inn}): its status in the register is “{status}”",
    ),
    "err.signup.throttled": (
        "слишком много попыток регистрации — попробуйте через час",
        "too many sign-up attempts: try again in an hour",
    ),
    "err.signup.inn_taken": (
        "организация с этим ИНН уже зарегистрирована — попросите её владельца пригласить вас",
        "an organization with this INN is already registered: ask its owner to invite you",
    ),
    "err.signup.registry_pending": ("проверка ожидает ответа реестра: ", "the check waits for the register: "),
    "err.invite.throttled": (
        "слишком много приглашений — попробуйте через час",
        "too many invitations: try again in an hour",
    ),
    # The contract register's answer (registries.contracts.ContractCheck.reason).
    "err.contract.unknown": ("договор № {number} не найден в реестре", "contract No. {number} is not in the register"),
    "err.contract.other_inn": (
        "договор № {number} заключён с другим потребителем (ИНН не совпадает)",
        "contract No. {number} is with another consumer (the INN differs)",
    ),
    "err.contract.date": (
        "дата договора № {number} в реестре другая",
        "the register has another date for contract No. {number}",
    ),
    "err.contract.supplier": (
        "поставщик по договору № {number} в реестре другой",
        "the register names another supplier for contract No. {number}",
    ),
    "err.contract.inactive": ("договор № {number} не действует", "contract No. {number} is not in force"),
    # A point's place for the weather (weather.location).
    "err.place.not_yours": (
        "координаты точки меняет администратор или владелец организации",
        "a point's coordinates are changed by an administrator or the organization's owner",
    ),
    "err.place.both": (
        "нужны обе координаты — широта и долгота — или ни одной",
        "give both coordinates (latitude and longitude) or neither",
    ),
    "err.place.latitude": (
        "широта — от −90 до 90 градусов, а не {value}",
        "latitude is −90 to 90 degrees, not {value}",
    ),
    "err.place.longitude": (
        "долгота — от −180 до 180 градусов, а не {value}",
        "longitude is −180 to 180 degrees, not {value}",
    ),
    # Business prices and price categories (pricing.market, pricing.categories, pricing.comparison).
    "err.prices.admins_only": ("цены загружают только администраторы", "prices are loaded by administrators only"),
    "err.prices.empty": (
        "в файле нет ни одной строки с ценой или часами пик",
        "the file has no row with a price or peak hours",
    ),
    "err.prices.file": ("файл цен", "price file"),
    "err.category.not_yours": (
        "ценовую категорию меняет администратор или владелец организации",
        "a price category is changed by an administrator or the organization's owner",
    ),
    "err.category.household": (
        "у бытовых потребителей нет ценовых категорий: их цены регулируемые",
        "households have no price categories: their prices are regulated",
    ),
    "err.category.voltage": ("уровень напряжения — один из {levels}", "the voltage level is one of {levels}"),
    "err.category.large": (
        "при максимальной мощности от 670 кВт доступны только 3–6-я ценовые категории",
        "from 670 kW of maximum capacity only the 3rd to 6th price categories apply",
    ),
    "err.category.number": ("ценовая категория — число от 1 до 6", "a price category is a number from 1 to 6"),
    "err.category.household_point": (
        "{code} — точка бытового потребителя: ценовых категорий у неё нет",
        "{code} is a household's point: it has no price categories",
    ),
    "err.category.business_point": (
        "{code} — точка организации: её цены — по ценовой категории, а не тарифы населения "
        "(сравнение категорий: /api/v1/meters/{code}/price-categories)",
        "{code} is a business's point: its prices follow its price category, not household tariffs "
        "(compare categories: /api/v1/meters/{code}/price-categories)",
    ),
    # A price file's problems (pricing.price_file): the file's columns keep their Russian names in both languages.
    "err.pricefile.xlsx": ("файл не читается как XLSX: {error}", "the file does not read as XLSX: {error}"),
    "err.pricefile.encoding": (
        "файл не в кодировке UTF-8 или windows-1251",
        "the file is neither UTF-8 nor windows-1251",
    ),
    "err.pricefile.binary": (
        "это не текстовый CSV-файл (в нём нулевые байты)",
        "this is not a text CSV file (it holds zero bytes)",
    ),
    "err.pricefile.header": (
        "первая строка должна быть заголовком: {header}",
        "the first line must be the header: {header}",
    ),
    "err.pricefile.row": ("строка {n}", "row {n}"),
    "err.pricefile.region": (
        "{where}, столбец «регион»: укажите регион (до 100 символов)",
        "{where}, column «регион»: give the region (up to 100 characters)",
    ),
    "err.pricefile.month": (
        "{where}, столбец «месяц»: ожидается ГГГГ-ММ, а не «{text}»",
        "{where}, column «месяц»: YYYY-MM is expected, not «{text}»",
    ),
    "err.pricefile.indicator": (
        "{where}, столбец «показатель»: «{text}» — не из списка: {known}",
        "{where}, column «показатель»: «{text}» is not one of {known}",
    ),
    "err.pricefile.category": (
        "{where}, столбец «категория»: ожидается число от 1 до 6, а не «{text}»",
        "{where}, column «категория»: a number from 1 to 6 is expected, not «{text}»",
    ),
    "err.pricefile.voltage": (
        "{where}, столбец «напряжение»: ожидается ВН, СН-I, СН-II или НН, а не «{text}»",
        "{where}, column «напряжение»: ВН, СН-I, СН-II or НН is expected, not «{text}»",
    ),
    "err.pricefile.indicator_category": (
        "{where}: «{text}» бывает только в категориях {categories}",
        "{where}: «{text}» exists only in categories {categories}",
    ),
    "err.pricefile.zone_category": (
        "{where}: цена зоны суток («{text}») бывает только во 2-й категории",
        "{where}: a time-of-day zone price («{text}») exists only in the 2nd category",
    ),
    "err.pricefile.hourly_category": (
        "{where}: почасовая цена энергии бывает только в категориях 3–6",
        "{where}: an hourly energy price exists only in categories 3 to 6",
    ),
    "err.pricefile.hour": (
        "{where}, столбец «час»: ожидается час от 0 до 23, а не «{text}»",
        "{where}, column «час»: an hour from 0 to 23 is expected, not «{text}»",
    ),
    "err.pricefile.peak_hour": (
        "{where}, столбец «значение»: час пиковой нагрузки — число от 0 до 23, а не «{text}»",
        "{where}, column «значение»: the peak-load hour is a number from 0 to 23, not «{text}»",
    ),
    "err.pricefile.peak_day": (
        "{where}, столбец «дата»: {day} — не рабочий день, час пик назначают рабочим",
        "{where}, column «дата»: {day} is not a working day; peak hours are set on working days",
    ),
    "err.pricefile.peak_spans": (
        "{where}, столбец «значение»: часы пик — интервалы вида «8-11 17-21», а не «{text}»",
        "{where}, column «значение»: peak hours are spans like «8-11 17-21», not «{text}»",
    ),
    "err.pricefile.peak_missing": (
        "{where}, столбец «значение»: укажите часы пик, например «8-11 17-21»",
        "{where}, column «значение»: give the peak hours, e.g. «8-11 17-21»",
    ),
    "err.pricefile.number": (
        "{where}, столбец «значение»: ожидается число (руб. без НДС), а не «{text}»",
        "{where}, column «значение»: a number (roubles before VAT) is expected, not «{text}»",
    ),
    "err.pricefile.price_bounds": (
        "{where}, столбец «значение»: цена должна быть больше нуля и меньше 100 000 000",
        "{where}, column «значение»: a price is above zero and below 100 000 000",
    ),
    "err.pricefile.day": (
        "{where}, столбец «дата»: ожидается ГГГГ-ММ-ДД, а не «{text}»",
        "{where}, column «дата»: YYYY-MM-DD is expected, not «{text}»",
    ),
    "err.pricefile.day_month": (
        "{where}, столбец «дата»: {day} — не в месяце {month}",
        "{where}, column «дата»: {day} is not in the month {month}",
    ),
    "err.pricefile.sheet": (
        "{region}, {month}, {category}-я категория, {voltage}",
        "{region}, {month}, category {category}, {voltage}",
    ),
    "err.pricefile.sheet_row": ("{what}: нет строки «{name}»", "{what}: no row «{name}»"),
    "err.pricefile.sheet_zones": (
        "{what}: нужны цены зон «ночь», «полупик», «пик» (или «ночь» и «день»)",
        "{what}: the zone prices «ночь», «полупик», «пик» (or «ночь» and «день») are needed",
    ),
    "err.pricefile.more": (" и ещё {n}", " and {n} more"),
    "err.pricefile.sheet_hours": (
        "{what}: нет почасовой цены энергии за {hours}{more}",
        "{what}: no hourly energy price for {hours}{more}",
    ),
    "err.place.body": (
        "ожидается JSON-объект с полями latitude и longitude (оба null — убрать координаты)",
        "a JSON object with latitude and longitude is expected (both null clear the coordinates)",
    ),
    "err.place.number": ("{name} — число градусов или null", "{name} is a number of degrees or null"),
}

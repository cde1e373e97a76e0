"""Interface strings of business pricing (price categories, published price levels, peak hours):
``key: (Russian, English)``."""

PRICING_STRINGS: dict[str, tuple[str, str]] = {
    "category.n": ("{n}-я ценовая категория", "price category {n}"),
    "category.short": ("{n}-я ЦК", "PC {n}"),
    "category.title": ("Сравнение ценовых категорий", "Price category comparison"),
    "category.hint": (
        "Фактическое почасовое потребление точки, оплаченное по каждой ценовой категории, которую она может "
        "выбрать, по ценам, опубликованным гарантирующим поставщиком её региона за каждый месяц. Рубли без НДС.",
        "The point's actual hourly consumption priced under every category it may choose, at the prices its "
        "region's guaranteeing supplier published for each month. Roubles without VAT.",
    ),
    "category.col": ("Категория", "Category"),
    "category.energy": ("Энергия", "Energy"),
    "category.capacity": ("Мощность", "Capacity"),
    "category.network": ("Сеть", "Network"),
    "category.total": ("Итого, ₽ без НДС", "Total, ₽ without VAT"),
    "category.diff": ("Разница", "Difference"),
    "category.current": ("текущая", "current"),
    "category.only_large": (
        "Максимальная мощность точки {kw} кВт: от 670 кВт доступны только 3–6-я категории.",
        "The point's maximum capacity is {kw} kW: from 670 kW only categories 3–6 are allowed.",
    ),
    "category.projected": (
        "Часть месяцев ещё не опубликована: их цены взяты по последнему опубликованному месяцу.",
        "Some months are not published yet: they are priced with the last published month.",
    ),
    "category.demo": (
        "Демо-данные: цены сгенерированы для демонстрации, это не опубликованные цены поставщика.",
        "Demo data: these prices are generated for the demonstration, not the supplier's published prices.",
    ),
    "category.missing": (
        "Цены ценовых категорий для региона «{region}» не загружены: стоимость не посчитана.",
        "No price-category prices are loaded for {region}: the cost is not computed.",
    ),
    "category.plans_note": (
        "5-я и 6-я категории посчитаны без платы за отклонение от почасового плана (плана точки в Wattboard нет), "
        "поэтому в рекомендации не участвуют.",
        "Categories 5 and 6 are priced without plan-deviation charges (Wattboard holds no hourly plan of the point), "
        "so they are not recommended.",
    ),
    "category.months": ("По месяцам", "By month"),
    "category.chart_y": ("₽ без НДС", "₽ without VAT"),
    "peak.title": ("Часы пик в {month}", "Peak hours in {month}"),
    "peak.text": (
        "Плановые часы пиковой нагрузки: {planned} (местное время){network}. Средняя мощность точки в часы пик "
        "рабочих дней месяца: {kw} кВт. Каждый киловатт меньше в эти часы экономит около {saving} в месяц.",
        "Planned peak hours: {planned} (local time){network}. The point's mean capacity in the peak hours of this "
        "month's working days: {kw} kW. Each kW less in those hours saves about {saving} a month.",
    ),
    "peak.network": ("; часы пик сети: {hours}", "; the network's peak hours: {hours}"),
    "peak.projected": (
        "Часы пик этого месяца ещё не опубликованы — показаны по прошлому месяцу.",
        "This month's peak hours are not published yet: last month's are shown.",
    ),
    "rec.price_category.title": (
        "{code}: перейти на {cheapest}-ю ценовую категорию",
        "{code}: switch to price category {cheapest}",
    ),
    "rec.price_category.text": (
        "За {months} мес. ({first} — {last}) по {current}-й ценовой категории начислено бы {cost_current}, "
        "по {cheapest}-й — {cost_cheapest} (без НДС, по ценам, опубликованным за каждый месяц). Годовая сумма "
        "пересчитана по тем же месяцам. Сменить категорию можно, уведомив гарантирующего поставщика.{note}",
        "Over {months} months ({first} – {last}) category {current} would cost {cost_current}, category "
        "{cheapest} {cost_cheapest} (without VAT, at each month's published prices). The yearly figure scales the "
        "same months. You switch by notifying the guaranteeing supplier.{note}",
    ),
    "rec.price_category.demo": (" Цены — демо-данные.", " The prices are demo data."),
    "money.no_vat": ("без НДС", "without VAT"),
    "market.title": ("Цены для организаций (ценовые категории)", "Business prices (price categories)"),
    "market.hint": (
        "Предельные уровни нерегулируемых цен гарантирующего поставщика за месяц — по всем ценовым категориям и "
        "уровням напряжения — и часы пик загружаются файлом CSV или XLSX. Каждая загрузка — новая версия месяца; "
        "файл с ошибкой не загружается целиком, а ошибки перечисляются по строкам.",
        "A guaranteeing supplier's month of price levels — every category and voltage level — and the peak hours "
        "come in a CSV or XLSX file. Each upload is a new version of its months; a file with a mistake is not loaded "
        "at all and every mistake is listed by row.",
    ),
    "market.template": ("Скачать шаблон файла (CSV)", "Download the file template (CSV)"),
    "market.drop": (
        "Перетащите файл цен сюда или нажмите, чтобы выбрать",
        "Drop a price file here or click to pick one",
    ),
    "market.unreadable": ("Файл не прочитан.", "The file could not be read."),
    "market.refused": (
        "Файл не загружен: ошибок — {n}. Исправьте и загрузите снова.",
        "The file was not loaded: {n} problems. Fix them and upload again.",
    ),
    "market.more": ("…и ещё {n}.", "…and {n} more."),
    "market.imported": (
        "Загружено: строк {rows}, листов цен {sheets}, таблиц часов пик {peaks} ({regions}; {months}).",
        "Loaded: {rows} rows, {sheets} price sheets, {peaks} peak-hour tables ({regions}; {months}).",
    ),
    "market.none": ("Цены для организаций ещё не загружены.", "No business prices are loaded yet."),
    "market.month": ("Месяц", "Month"),
    "market.sheets": ("Листов", "Sheets"),
    "market.version": ("Версия", "Version"),
    "market.kind": ("Данные", "Data"),
    "market.uploaded": ("Загружено", "Uploaded"),
    "market.demo": ("демо", "demo"),
    "market.published": ("опубликованные", "published"),
    "price.fallback": (
        "Для региона «{region}» нет тарифов населения: стоимость посчитана по тарифам региона «{used}».",
        "{region} has no household tariffs: the cost uses the tariffs of {used}.",
    ),
    "price.business_note": (
        "Стоимость — по ценовой категории каждой точки, в рублях без НДС.",
        "Costs follow each point's price category, in roubles without VAT.",
    ),
    "price.demo_note": (
        "Цены ценовых категорий — демо-данные, а не опубликованные цены.",
        "The price-category prices are demo data, not published prices.",
    ),
}

"""Interface strings of the forecast, recommendations and tariff pages: ``key: (Russian, English)``."""

from __future__ import annotations

FORECAST_STRINGS: dict[str, tuple[str, str]] = {
    "nav.forecast": ("Прогноз", "Forecast"),
    "nav.recommendations": ("Рекомендации", "Recommendations"),
    "nav.tariffs": ("Тарифы", "Tariffs"),
    "forecast.title": ("Прогноз", "Forecast"),
    "forecast.subject": ("Точка учёта", "Metering point"),
    "forecast.chart": ("Факт и прогноз с интервалом 80 %", "Actual and forecast with its 80 % interval"),
    "forecast.actual": ("Факт", "Actual"),
    "forecast.central": ("Прогноз", "Forecast"),
    "forecast.band": ("Интервал 80 %", "80 % interval"),
    "forecast.now": ("сейчас", "now"),
    "forecast.month_kwh": ("Конец месяца, кВт·ч", "Month end, kWh"),
    "forecast.month_rub": ("Конец месяца, ₽", "Month end, ₽"),
    "forecast.budget": ("Бюджет", "Budget"),
    "forecast.accuracy": ("Точность прогноза", "Forecast accuracy"),
    "forecast.accuracy_value": ("±{mape} %", "±{mape} %"),
    "forecast.accuracy_sub": (
        "средняя ошибка на сутки вперёд; без модели ±{baseline} %",
        "mean day-ahead error; without a model ±{baseline} %",
    ),
    "forecast.range": ("от {low} до {high}", "{low} to {high}"),
    "forecast.so_far": ("уже {value}", "{value} so far"),
    "forecast.no_budget": ("не задан", "not set"),
    "forecast.budget_of": ("{share} бюджета {budget}", "{share} of the {budget} budget"),
    "forecast.over_budget": ("выше бюджета", "over budget"),
    "forecast.within_budget": ("в пределах бюджета", "within budget"),
    "forecast.days": ("По дням до конца месяца", "Day by day to the month end"),
    "forecast.day": ("День", "Day"),
    "forecast.kwh": ("кВт·ч", "kWh"),
    "forecast.low": ("Нижняя граница", "Low"),
    "forecast.high": ("Верхняя граница", "High"),
    "forecast.no_days": (
        "Остаток месяца покрыт почасовым прогнозом на графике.",
        "The rest of the month is covered by the hourly forecast in the chart.",
    ),
    "forecast.none": (
        "Прогноза пока нет: он строится ночью и после загрузки истории.",
        "No forecast yet: it is built every night and after history is loaded.",
    ),
    "forecast.no_history": (
        "Для прогноза мало данных: {reason}.",
        "Too little data for a forecast: {reason}.",
    ),
    "forecast.model_info": (
        "Модель: {model}, версия {version}. Обучена на данных с {start} по {end}, пересчитана {fitted}.",
        "Model: {model}, version {version}. Trained on {start} to {end}, fitted {fitted}.",
    ),
    "forecast.coverage": (
        "В интервал 80 % на проверке попало {coverage} фактических значений.",
        "{coverage} of actual values fell inside the 80 % interval in the backtest.",
    ),
    "forecast.recompute": ("Пересчитать прогноз", "Recompute the forecast"),
    "forecast.recompute_org": ("по всей организации", "for the whole organization"),
    "forecast.progress": ("Пересчёт: {done} из {total} точек", "Recomputing: {done} of {total} points"),
    "forecast.progress_failed": ("{failed} с ошибкой", "{failed} failed"),
    "forecast.progress_done": ("Прогноз пересчитан: {done} из {total}", "Forecast recomputed: {done} of {total}"),
    "forecast.pick_org": ("Выберите организацию в верхнем меню", "Pick an organization in the top bar"),
    "model.seasonal_naive": ("сезонная наивная (неделя назад)", "seasonal naive (a week back)"),
    "model.seasonal_naive_level": (
        "сопоставимый день с поправкой на уровень",
        "comparable day, level-adjusted",
    ),
    "model.prophet": ("Prophet с календарём РФ", "Prophet with the Russian calendar"),
    "model.prophet_residual": ("Prophet с поправкой по остаткам", "Prophet with residual correction"),
    "model.blend": ("смесь Prophet и наивных прогнозов", "blend of Prophet and naive forecasts"),
    "model.weather_naive": ("сопоставимый день с поправкой на погоду", "comparable day, weather-adjusted"),
    "model.similar_days": ("взвешенное среднее похожих дней", "weighted mean of similar days"),
    "model.similar_weather": (
        "похожие дни и поправка на погоду поровну",
        "similar days and the weather-adjusted day, averaged",
    ),
    "model.consensus": ("медиана пяти прогнозов", "median of five forecasts"),
    "overview.projection": ("Прогноз на конец месяца", "Month-end projection"),
    "rec.title": ("Рекомендации", "Recommendations"),
    "rec.total": (
        "Возможная экономия по открытым рекомендациям: {rub} в год",
        "Possible savings of the open recommendations: {rub} a year",
    ),
    "rec.none": (
        "Рекомендаций нет: потребление не показывает, на чём сэкономить.",
        "No recommendations: the consumption shows nothing to save on.",
    ),
    "rec.filter_open": ("Открытые", "Open"),
    "rec.filter_closed": ("Выполненные и неактуальные", "Done and not relevant"),
    "rec.per_year": ("{rub} в год", "{rub} a year"),
    "rec.kwh_per_year": ("{kwh} в год", "{kwh} a year"),
    "rec.done": ("Сделано", "Done"),
    "rec.dismiss": ("Не актуально", "Not relevant"),
    "rec.reopen": ("Вернуть", "Reopen"),
    "rec.state.done": ("сделано", "done"),
    "rec.state.dismissed": ("не актуально", "not relevant"),
    "rec.state.open": ("открыта", "open"),
    "rec.marked_by": ("{state}: {who}, {when}", "{state}: {who}, {when}"),
    "rec.assumptions": ("Как посчитано", "How it is estimated"),
    "rec.certainty": ("Основание: {basis}. Уверенность: {level}.", "Based on {basis}. Certainty: {level}."),
    "rec.basis_months": ("{n} мес. почасовых данных", "{n} months of hourly data"),
    "rec.basis_weeks": ("{n} нед. данных", "{n} weeks of data"),
    "rec.basis_days": ("{n} дн. данных", "{n} days of data"),
    "rec.basis_30": ("последние 30 дней", "the last 30 days"),
    "rec.sure_exact": (
        "высокая — это пересчёт фактического потребления по другим ценам",
        "high — the actual consumption priced again",
    ),
    "rec.sure_measured": ("измерено по показаниям", "measured from the readings"),
    "rec.sure_high": (
        "высокая — изменение много больше обычных колебаний точки",
        "high — the change far exceeds the point's ordinary wander",
    ),
    "rec.sure_medium": (
        "средняя — изменение заметно больше обычных колебаний точки",
        "medium — the change clearly exceeds the point's ordinary wander",
    ),
    "rec.evidence.night_min": ("Ночной минимум, кВт", "Night minimum, kW"),
    "rec.evidence.best_weeks": ("Уровень лучших недель, кВт", "Best weeks' level, kW"),
    "rec.evidence.mean_kw": ("Средняя мощность, кВт", "Mean power, kW"),
    "rec.tariff.title": ("{code}: перейти на {plan} тариф", "{code}: switch to the {plan} plan"),
    "rec.tariff.text": (
        "За {days} дн. фактического почасового потребления по тарифу «{current}» начислено бы {cost_current}, "
        "по тарифу «{cheapest}» — {cost_cheapest}. Экономия пересчитана на год по той же доле. "
        "Цены региона «{region}», действовавшие в каждый день.",
        "Over {days} days of actual hourly consumption the {current} plan would cost {cost_current}, the "
        "{cheapest} plan {cost_cheapest}. The saving is scaled to a year. Prices of {region} in force each day.",
    ),
    "rec.baseload.title": ("{code}: снизить ночную базовую нагрузку", "{code}: bring the night base load down"),
    "rec.baseload.text": (
        "Ночная базовая нагрузка выросла: сейчас {base_now} кВт, а по обычным для этой точки неделям (с поправкой "
        "на общий уровень потребления) было бы около {base_target} кВт. Лишние {excess} кВт работают круглосуточно; "
        "экономия посчитана по средней цене часа {price} ₽/кВт·ч за {weeks} нед. данных. Проверьте оборудование, "
        "которое перестали выключать.",
        "The night base load has risen: {base_now} kW now, where this point's usual weeks (allowing for the overall "
        "level) would give about {base_target} kW. The extra {excess} kW runs day and night; the saving uses the mean "
        "hourly price of {price} ₽/kWh over {weeks} weeks of data. Check equipment no longer switched off.",
    ),
    "rec.peak_shift.title": ("{code}: перенести нагрузку из пиковых часов", "{code}: move load out of peak hours"),
    "rec.peak_shift.text": (
        "В последние недели в рабочие дни в часы пик ({block}) появилась нагрузка, которой раньше не было: "
        "около {movable} кВт·ч в день сверх соседних часов (по {days} рабочим дням). Если её перенести на ночь, "
        "каждый такой кВт·ч обойдётся в {night_price} ₽ вместо {peak_price} ₽; {workdays} рабочих дней в году.",
        "In recent weeks a load that was not there before runs on working days in the peak hours ({block}): about "
        "{movable} kWh a day above the hours around them ({days} working days). Moved to the night, each such kWh "
        "costs {night_price} ₽ instead of {peak_price} ₽; {workdays} working days a year.",
    ),
    "rec.unusual.title": ("{code}: потребление выше прогноза", "{code}: consumption above the forecast"),
    "rec.unusual.text": (
        "За последние {hours} ч потребление {hours_over} ч было выше верхней границы прогноза; лишние "
        "{excess} кВт·ч ({share} потребления). Годовая сумма — если так пойдёт и дальше.",
        "In the last {hours} h consumption was above the forecast's upper bound for {hours_over} h; "
        "{excess} kWh extra ({share} of consumption). The yearly figure assumes it goes on.",
    ),
    "rec.data.title": ("{code}: проверьте прибор учёта", "{code}: check the meter"),
    "rec.data.text": (
        "За 30 дней получено {completeness} показаний, пропущено около {missing} ч, сбросов счётчика: {resets}. "
        "Неизмеренное потребление (около {unmeasured}) начисляется по оценке и искажает счёт.",
        "In 30 days {completeness} of readings arrived, about {missing} h are missing, counter resets: {resets}. "
        "Unmeasured consumption (about {unmeasured}) is billed by estimate and distorts the bill.",
    ),
    "rec.tariffs": ("Сравнение тарифов и ценовых категорий", "Plans and price categories compared"),
    "rec.tariffs_hint": (
        "Стоимость фактического почасового потребления точки по каждому тарифу, по ценам её региона в каждый день.",
        "The cost of the point's actual hourly consumption on each plan, at its region's prices of each day.",
    ),
    "rec.plan": ("Тариф", "Plan"),
    "rec.cost": ("Стоимость, ₽", "Cost, ₽"),
    "rec.difference": ("Разница с текущим", "Against the current"),
    "rec.current": ("текущий", "current"),
    "rec.priced_as": (
        "Цены региона «{region}» не заданы — посчитано по ценам «{used}».",
        "No prices for {region}: priced as {used}.",
    ),
    "tariffs.title": ("Тарифы", "Tariffs"),
    "tariffs.prices": ("Цены по регионам", "Prices by region"),
    "tariffs.region": ("Регион", "Region"),
    "tariffs.plan": ("Тариф", "Plan"),
    "tariffs.zone": ("Зона", "Zone"),
    "tariffs.valid_from": ("Действует с", "In force from"),
    "tariffs.price": ("Цена, ₽/кВт·ч", "Price, ₽/kWh"),
    "tariffs.source": ("Источник", "Source"),
    "tariffs.edit": ("Задать цену", "Set a price"),
    "tariffs.save": ("Сохранить", "Save"),
    "tariffs.delete": ("Удалить строку №", "Delete row no."),
    "tariffs.saved": ("Сохранено.", "Saved."),
    "tariffs.deleted": ("Строка удалена.", "Row deleted."),
    "tariffs.admin_only": ("Менять цены могут только администраторы.", "Only administrators change prices."),
    "tariffs.point_region": ("Регион точки учёта", "Region of a metering point"),
    "tariffs.point": ("Точка учёта", "Metering point"),
    "tariffs.fallback": (
        "Точки из регионов без цен считаются по ценам региона «{region}».",
        "Points in regions without prices are priced as {region}.",
    ),
    "zone.single": ("круглосуточно", "all day"),
    "budget.title": ("Месячный бюджет", "Monthly budget"),
    "budget.amount": ("Сумма", "Amount"),
    "budget.rub": ("рублей", "roubles"),
    "budget.kwh": ("кВт·ч", "kWh"),
    "budget.save": ("Сохранить бюджет", "Save the budget"),
    "budget.saved": ("Бюджет сохранён.", "Budget saved."),
    "budget.cleared": ("Бюджет снят.", "Budget removed."),
    "budget.only_owner": (
        "Бюджет задаёт владелец организации или администратор.",
        "The organization's owner or an administrator sets the budget.",
    ),
    "budget.bad": ("Укажите положительное число.", "Enter a positive number."),
}

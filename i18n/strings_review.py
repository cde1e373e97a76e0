"""Interface strings of the data review page: ``key: (Russian, English)``."""

from __future__ import annotations

REVIEW_STRINGS: dict[str, tuple[str, str]] = {
    "nav.review": ("Проверка данных", "Data review"),
    "nav.manage": ("Управление", "Manage"),
    "review.title": ("Проверка данных", "Data review"),
    "review.staff_only": (
        "Проверка данных доступна администраторам и операторам.",
        "Data review is for administrators and operators.",
    ),
    "review.held": ("Показания на проверке", "Readings held for review"),
    "review.held_hint": (
        "Значения далеко за пределами истории точки или выше мощности присоединения не сохраняются, пока вы их "
        "не примете.",
        "Values far outside a point's history or above its connection's capacity are not stored until you accept them.",
    ),
    "review.none_held": ("Нет показаний, ожидающих проверки.", "No readings wait for review."),
    "review.show_decided": ("Показать решённые", "Show decided"),
    "review.point": ("Точка", "Point"),
    "review.organization": ("Организация", "Organization"),
    "review.partner": ("Партнёр", "Partner"),
    "review.interval": ("Интервал", "Interval"),
    "review.value": ("Значение, кВт·ч", "Value, kWh"),
    "review.limit": ("Правдоподобно до, кВт·ч", "Plausible up to, kWh"),
    "review.reason": ("Почему задержано", "Why held"),
    "review.decision": ("Решение", "Decision"),
    "review.accept": ("Принять", "Accept"),
    "review.reject": ("Отклонить", "Reject"),
    "review.accept_all": ("Принять все", "Accept all"),
    "review.reject_all": ("Отклонить все", "Reject all"),
    "review.accepted": ("принято: {who}", "accepted: {who}"),
    "review.rejected": ("отклонено: {who}", "rejected: {who}"),
    "review.done_accept": (
        "Принято показаний: {n}. Они сохраняются в течение нескольких секунд.",
        "Accepted {n} readings. They are stored within seconds.",
    ),
    "review.done_reject": (
        "Отклонено показаний: {n}. Они записаны в отклонённые с вашим именем.",
        "Rejected {n} readings. They went to the dead letters with your name.",
    ),
    "review.reason_capacity": ("выше мощности присоединения", "above the connection's capacity"),
    "review.reason_history": (
        "далеко за пределами истории точки для этого часа",
        "far outside the point's history for this hour",
    ),
    "review.corrections": ("Исправления за 30 дней", "Corrections in the last 30 days"),
    "review.corrections_hint": (
        "Значения, заменённые партнёрами, сохранены. Откат возвращает их новым пакетом — его тоже можно откатить.",
        "Values partners replaced are kept. A rollback restores them as a new batch, which can be rolled back too.",
    ),
    "review.none_corrections": ("За 30 дней исправлений не было.", "No corrections in the last 30 days."),
    "review.batch": ("Пакет", "Batch"),
    "review.day": ("Сутки", "Day"),
    "review.rows": ("Показаний", "Readings"),
    "review.before": ("Было, кВт·ч", "Before, kWh"),
    "review.after": ("Стало, кВт·ч", "After, kWh"),
    "review.share": ("Изменено", "Changed"),
    "review.rollback": ("Откатить", "Roll back"),
    "review.rolled_back": ("Восстановлено показаний: {n} (пакет {batch}).", "Restored {n} readings (batch {batch})."),
    "review.nothing_to_roll_back": ("Этот пакет ничего не заменял.", "This batch replaced nothing."),
    "partners.held": ("На проверке", "Held for review"),
    "partners.duplicates": ("Повторов", "Repeats"),
}

"""Why a partner's record or file was refused, in the reader's words.

The parsers and the ingest steps word their reasons in English, the language of the push API's answers, the
dead-letter topic and the logs (a partner's developer reads those). The pages show them in Russian: each known
reason has a pattern here, tried part by part (``line 4: value 'abc' is not a number`` is a place and a reason); a
reason no pattern knows is shown as it was written, never hidden.
"""

from __future__ import annotations

import re

from i18n import current_language

_Q = r"['\"](.*?)['\"]"  # a quoted value as Python's repr writes it
_TIME_FORMAT = {"%d": "ДД", "%m": "ММ", "%Y": "ГГГГ", "%H": "ЧЧ", "%M": "ММ", "%S": "СС"}

# A place in a file, before the reason: "line 4: …", "measuringpoint 123, channel 01: …".
_PLACES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^line (\d+)$"), "строка {0}"),
    (re.compile(r"^line (\d+), column (\d+)$"), "строка {0}, позиция {1}"),
    (re.compile(r"^measuringpoint (.+), channel (.+)$"), "точка измерения {0}, канал {1}"),
    (re.compile(r"^area (.+)$"), "область {0}"),
)

_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), words)
    for pattern, words in (
        (rf"timestamp {_Q} does not match (.+)", "время «{0}» не в формате {1}"),
        (rf"timestamp {_Q} is not a number", "время «{0}» — не число"),
        (r"timestamp (.+) is outside 2000\.\.2100", "время {0} вне 2000–2100 годов"),
        (r"timestamp (.+) is not text", "время {0} — не текст"),
        (rf"value {_Q} is not a number", "значение «{0}» — не число"),
        (r"value (.+) is not a number", "значение {0} — не число"),
        ("wrong number of fields", "не то число полей"),
        ("empty meter id", "не указана точка учёта"),
        ("contains a NUL byte", "в строке нулевой байт: это не текст"),
        (rf"no meter id at {_Q}", "нет кода точки учёта по пути «{0}»"),
        ("timestamp or value missing", "нет времени или значения"),
        (
            rf"unknown meter {_Q}: map it to a metering point or enable auto-create for this partner",
            "неизвестная точка учёта «{0}»: сопоставьте её с точкой Wattboard или разрешите партнёру создавать точки",
        ),
        (
            rf"unknown meter {_Q}: its mapping names {_Q}, which does not exist",
            "неизвестная точка учёта «{0}»: сопоставление указывает на «{1}», а такой точки нет",
        ),
        (
            rf"metering point {_Q} is not served by this partner: .*",
            "точку учёта «{0}» этот партнёр не обслуживает: он пишет только в сопоставленные ему точки и точки своей "
            "организации",
        ),
        (
            rf"meter id {_Q} is not a metering-point code: .*",
            "«{0}» — не код точки учёта: от 1 до 64 латинских букв, цифр и знаков . _ : -",
        ),
        (rf"meter id {_Q} is too long for a code of this partner's own points", "код «{0}» слишком длинный"),
        ("value is not a finite number", "значение — не конечное число"),
        ("timestamp is in the future", "время в будущем"),
        (r"timestamp is (\d+) s off the (\d+)-minute grid", "время сдвинуто на {0} с от {1}-минутной сетки"),
        (
            "replaced by a later record for the same interval in this batch",
            "заменена более поздней записью за тот же интервал в этом пакете",
        ),
        ("negative consumption", "отрицательное потребление"),
        (r"value above (\d+) kWh per interval", "больше {0} кВт·ч за интервал: такого счётчик не даёт"),
        (rf"unknown device {_Q}", "неизвестное устройство «{0}»"),
        (
            rf"device {_Q} is not on a metering point this partner serves",
            "устройство «{0}» стоит не на точке учёта этого партнёра",
        ),
        (rf"time {_Q} is not HHMM", "время «{0}» не в формате ЧЧММ"),
        ("<measuringpoint> without code", "<measuringpoint> без кода"),
        ("channel must be 01..04", "канал должен быть от 01 до 04"),
        (r"period (.+) ends before it starts", "период {0} кончается раньше, чем начинается"),
        (r"period (.+): no <value>", "период {0}: нет <value>"),
        ("no UsagePoint id for this IntervalBlock", "у IntervalBlock нет UsagePoint"),
        (
            "IntervalReading needs timePeriod/start, timePeriod/duration and value",
            "в IntervalReading нужны timePeriod/start, timePeriod/duration и value",
        ),
        (r"duration (.+) s is out of range", "длительность {0} с вне допустимого"),
        (r"start (.+) is outside 2000\.\.2100", "начало {0} вне 2000–2100 годов"),
        ("the file is neither UTF-8 nor windows-1251 text", "файл не текст в UTF-8 или windows-1251"),
        (r"missing column\(s\) (.+); the header has (.+)", "нет столбцов {0}; в заголовке: {1}"),
        ("the header contains a NUL byte: not CSV text", "в заголовке нулевой байт: это не CSV"),
        (r"not JSON: (.+)", "не JSON ({0})"),
        (rf"no list of records at {_Q}", "по пути «{0}» нет списка записей"),
        (r"malformed XML \((.+)\)", "XML с ошибкой ({0})"),
        ("DTDs and entities are not accepted in partner XML", "DTD и сущности в XML партнёров не принимаются"),
        ("no IntervalBlock/IntervalReading in the document", "в документе нет IntervalBlock/IntervalReading"),
        ("the request body is empty", "пустой запрос"),
    )
)


def time_format_words(text: str) -> str:
    """A strftime pattern as a Russian reader writes it (``%d.%m.%Y`` → ``ДД.ММ.ГГГГ``); other values as they are."""
    if text == "iso":
        return "ISO 8601"
    if "%" not in text:
        return text
    for code, words in _TIME_FORMAT.items():
        text = text.replace(code, words)
    return text


def _reason(text: str) -> str | None:
    for pattern, words in _REASONS:
        found = pattern.match(text)
        if found:
            return words.format(*(time_format_words(v) for v in found.groups()))
    return None


def reason_text(reason: str, lang: str | None = None) -> str:
    """``reason`` in the reader's language: Russian where a pattern knows it, else as written."""
    if (lang or current_language()) == "en":
        return reason
    whole = _reason(reason)
    if whole is not None:
        return whole
    place, sep, rest = reason.partition(": ")
    for pattern, words in _PLACES:
        found = pattern.match(place)
        if found and sep:
            return f"{words.format(*found.groups())}: {_reason(rest) or rest}"
    return reason

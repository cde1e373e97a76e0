"""Interface strings of sign-up, login, password reset, invitations and the admin page: ``key: (ru, en)``."""

from __future__ import annotations

ACCOUNT_STRINGS: dict[str, tuple[str, str]] = {
    "nav.admin": ("Администрирование", "Administration"),
    "nav.organization": ("Моя организация", "My organization"),
    "admin.title": ("Администрирование", "Administration"),
    "admin.users": ("Пользователи", "Users"),
    "admin.organizations": ("Организации и договоры", "Organizations and contracts"),
    "admin.audit": ("Журнал действий", "Audit log"),
    "admin.weather": ("Погода", "Weather"),
    "admin.weather_off": (
        "Источник погоды не задан (WATTBOARD_WEATHER_URL): прогнозы строятся без температуры.",
        "No weather source is set (WATTBOARD_WEATHER_URL): forecasts go without the temperature.",
    ),
    "admin.weather_none": (
        "Погода ещё не получена ни для одного места: место с точками учёта получает её в течение пяти минут, затем "
        "она обновляется раз в час.",
        "No weather has been fetched yet: a place with metering points gets it within five minutes, then hourly.",
    ),
    "admin.weather_place": ("Место", "Place"),
    "admin.weather_fetched": ("Последнее обновление", "Last fetched"),
    "admin.weather_until": ("Известна до", "Known until"),
    "admin.weather_hours": ("Часов", "Hours"),
    "admin.weather_fresh": ("свежая", "fresh"),
    "admin.weather_stale": ("устарела", "stale"),
    "admin.weather_never": ("ещё не получена", "not fetched yet"),
    "admin.weather_waiting": ("ждёт первого запроса", "awaiting its first fetch"),
    "admin.weather_note": (
        "Источник: {url}. Обновляется раз в час; «устарела» — больше трёх часов без обновления (сотрудники получают "
        "оповещение).",
        "Source: {url}. Pulled hourly; stale means over three hours without an update (the staff get an alert).",
    ),
    "admin.search": ("Поиск", "Search"),
    "admin.role": ("Роль", "Role"),
    "admin.status": ("Состояние", "Status"),
    "admin.any": ("любая", "any"),
    "admin.email": ("Почта", "Email"),
    "admin.name": ("Имя", "Name"),
    "admin.organization": ("Организация", "Organization"),
    "admin.reason": ("Причина", "Reason"),
    "admin.created": ("Создан", "Created"),
    "admin.pick_user": ("Пользователь", "User"),
    "admin.new_role": ("Новая роль", "New role"),
    "admin.set_role": ("Сменить роль", "Change role"),
    "admin.block": ("Заблокировать", "Block"),
    "admin.unblock": ("Разблокировать", "Unblock"),
    "admin.approve": ("Подтвердить вручную", "Approve by hand"),
    "admin.reject": ("Отклонить", "Reject"),
    "admin.reason_needed": ("Укажите причину — она попадёт в журнал.", "Give a reason: it goes into the audit log."),
    "admin.done": ("Готово: {what}", "Done: {what}"),
    "admin.pending_queue": ("Ожидают проверки: {n}", "Waiting for verification: {n}"),
    "admin.staff_only": ("Раздел доступен администраторам и операторам.", "For administrators and operators."),
    "admin.admins_only": ("Изменять может только администратор.", "Only an administrator may change this."),
    "admin.inn": ("ИНН", "INN"),
    "admin.members": ("Пользователей", "Users"),
    "admin.contracts": ("Договоры", "Contracts"),
    "admin.at": ("Когда", "When"),
    "admin.actor": ("Кто", "Who"),
    "admin.action": ("Действие", "Action"),
    "admin.target": ("Объект", "Target"),
    "admin.ip": ("Откуда", "From"),
    "admin.details": ("Подробности", "Details"),
    "role.admin": ("администратор", "admin"),
    "role.operator": ("оператор", "operator"),
    "role.consumer": ("потребитель", "consumer"),
    "ustatus.active": ("активен", "active"),
    "ustatus.pending": ("ждёт проверки", "pending"),
    "ustatus.rejected": ("отклонён", "rejected"),
    "ustatus.blocked": ("заблокирован", "blocked"),
    "org.title": ("Моя организация", "My organization"),
    "org.members": ("Пользователи организации", "People in the organization"),
    # The account letters (auth.letters): {base} is the product's address.
    "letter.approved.subject": ("Wattboard: учётная запись подтверждена", "Wattboard: your account is confirmed"),
    "letter.approved.body": (
        "Здравствуйте!\n\nИНН и договор энергоснабжения подтверждены. Войдите: {base}/login\n",
        "Hello!\n\nYour INN and supply contract are confirmed. Sign in: {base}/login\n",
    ),
    "letter.rejected.subject": ("Wattboard: регистрация не подтверждена", "Wattboard: your sign-up was not confirmed"),
    "letter.rejected.body": (
        "Здравствуйте!\n\nПроверка не пройдена: {reason}.\nЕсли это ошибка, ответьте на это письмо.\n",
        "Hello!\n\nThe check did not pass: {reason}.\nIf this is a mistake, reply to this letter.\n",
    ),
    "letter.reset.subject": ("Wattboard: восстановление пароля", "Wattboard: a new password"),
    "letter.reset.body": (
        "Здравствуйте!\n\nЧтобы задать новый пароль, откройте ссылку (она действует {minutes} минут и только один "
        "раз):\n{base}/password/reset/{token}\n\nЕсли вы не просили сменить пароль, просто удалите это письмо.\n",
        "Hello!\n\nTo set a new password, open this link (it works for {minutes} minutes and only once):\n"
        "{base}/password/reset/{token}\n\nIf you did not ask for a new password, just delete this letter.\n",
    ),
    "letter.invite.subject": ("Wattboard: приглашение в {organization}", "Wattboard: an invitation to {organization}"),
    "letter.invite.body": (
        "Здравствуйте!\n\n{inviter} приглашает вас в Wattboard, организация «{organization}».\n"
        "Примите приглашение (ссылка действует {days} дней): {base}/invite/{token}\n",
        "Hello!\n\n{inviter} invites you to Wattboard, organization “{organization}”.\n"
        "Accept the invitation (the link works for {days} days): {base}/invite/{token}\n",
    ),
    "letter.confirm.subject": (
        "Wattboard: подтвердите адрес, чтобы завершить регистрацию",
        "Wattboard: confirm your address to finish signing up",
    ),
    "letter.confirm.body": (
        "Здравствуйте!\n\nЭтот адрес указали при регистрации в Wattboard. Чтобы завершить её, откройте ссылку "
        "(она действует {hours} часа и только один раз):\n{base}/signup/confirm/{token}\n\n"
        "Если вы не регистрировались, просто удалите это письмо: без перехода по ссылке ничего не создаётся.\n",
        "Hello!\n\nThis address was given when signing up to Wattboard. To finish, open this link (it works for "
        "{hours} hours and only once):\n{base}/signup/confirm/{token}\n\n"
        "If you did not sign up, just delete this letter: nothing is created unless the link is opened.\n",
    ),
    "letter.existing.subject": ("Wattboard: у вас уже есть учётная запись", "Wattboard: you already have an account"),
    "letter.existing.body": (
        "Здравствуйте!\n\nКто-то (возможно, вы) пытался зарегистрироваться в Wattboard с этим адресом, но учётная "
        "запись с ним уже есть. Войдите: {base}/login\nЕсли не помните пароль, восстановите его: "
        "{base}/password/forgot\n\nЕсли это были не вы, ничего делать не нужно.\n",
        "Hello!\n\nSomeone (perhaps you) tried to sign up to Wattboard with this address, but it already has an "
        "account. Sign in: {base}/login\nIf you forgot the password, set a new one: {base}/password/forgot\n\n"
        "If it was not you, there is nothing to do.\n",
    ),
    "letter.invite_existing.subject": (
        "Wattboard: приглашение в {organization}",
        "Wattboard: an invitation to {organization}",
    ),
    "letter.invite_existing.body": (
        "Здравствуйте!\n\n{inviter} приглашает вас в организацию «{organization}» в Wattboard, но у этого адреса "
        "уже есть учётная запись, а в Wattboard человек состоит в одной организации. Если хотите перейти, ответьте "
        "пригласившему; войти можно здесь: {base}/login\n",
        "Hello!\n\n{inviter} invites you to the organization “{organization}” in Wattboard, but this address already "
        "has an account, and in Wattboard a person belongs to one organization. If you want to move, reply to the one "
        "who invited you; sign in here: {base}/login\n",
    ),
    "org.invite": ("Пригласить по почте", "Invite by email"),
    "place.title": ("Погода по точкам", "Weather by point"),
    "place.hint": (
        "Погоду для прогноза и графиков Wattboard берёт по координатам точки, а без них — по городу или региону из её "
        "адреса. Задайте координаты, если адрес не называет город или точка далеко от него.",
        "Wattboard takes the weather for forecasts and charts from a point's coordinates, or else from the town or "
        "region its address names. Give coordinates where the address names no town or the point is far from it.",
    ),
    "place.point": ("Точка", "Point"),
    "place.where": ("Место", "Place"),
    "place.source": ("Откуда", "From"),
    "place.source.coordinates": ("координаты точки", "the point's coordinates"),
    "place.source.address": ("город из адреса", "the town in its address"),
    "place.unknown": ("не известно — погоды нет", "unknown: no weather"),
    "place.latitude": ("Широта, например 56,84", "Latitude, e.g. 56.84"),
    "place.longitude": ("Долгота, например 60,61", "Longitude, e.g. 60.61"),
    "place.save": ("Сохранить координаты", "Save the coordinates"),
    "place.clear": ("Убрать координаты", "Clear the coordinates"),
    "place.choose": ("Выберите точку.", "Choose a point."),
    "place.saved": (
        "Сохранено: погода точки {code} — {place}. Прогноз учтёт её со следующего пересчёта, данные о погоде "
        "подтянутся в течение 5 минут.",
        "Saved: {code} takes its weather from {place}. The forecast uses it from its next run; the weather arrives "
        "within 5 minutes.",
    ),
    "place.cleared": (
        "Координаты убраны: погода точки {code} — {place}.",
        "Coordinates cleared: {code} takes its weather from {place}.",
    ),
    "org.invite_send": ("Отправить приглашение", "Send the invitation"),
    "org.invited": ("Приглашение отправлено на {email}.", "Invitation sent to {email}."),
    "org.owner": ("владелец", "owner"),
    "org.only_owner": ("Приглашать может владелец организации.", "Only the organization's owner invites people."),
    "org.none": ("Вы не состоите в организации.", "You belong to no organization."),
    "login.signup": ("Зарегистрироваться", "Sign up"),
    "login.forgot": ("Забыли пароль?", "Forgot your password?"),
    "login.sso": ("Войти через учётную запись организации (SSO)", "Sign in with your organization's account (SSO)"),
    "sso.title": ("Вход через организацию", "Sign in with your organization"),
    "sso.intro": (
        "Введите рабочий адрес почты — мы направим вас ко входу вашей организации.",
        "Enter your work email and we will take you to your organization's sign-in.",
    ),
    "sso.continue": ("Продолжить", "Continue"),
    "sso.go": ("Перейти ко входу", "Go to sign-in"),
    "sso.back": ("Войти с паролем", "Sign in with a password"),
    "sso.redirecting": ("Переходим ко входу организации «{organization}»…", "Taking you to {organization}'s sign-in…"),
    "sso.no_provider": (
        "Для адресов в домене {domain} единый вход не настроен. Войдите с паролем или обратитесь к администратору.",
        "Single sign-on is not set up for addresses at {domain}. Sign in with a password or ask an administrator.",
    ),
    "sso.not_configured": ("Единый вход для этой организации не настроен.", "Single sign-on is not set up here."),
    "sso.cancelled": (
        "Вход через организацию «{organization}» отменён или не разрешён её сервером входа.",
        "Sign-in with {organization} was cancelled or not allowed by its sign-in server.",
    ),
    "sso.invalid_token": (
        "Сервер входа организации «{organization}» прислал недействительный ответ. Попробуйте ещё раз; "
        "если повторится — сообщите администратору.",
        "{organization}'s sign-in server sent an invalid answer. Try again; if it repeats, tell an administrator.",
    ),
    "sso.no_email": (
        "Сервер входа не сообщил адрес почты — Wattboard не может вас узнать.",
        "The sign-in server did not tell your email address, so Wattboard cannot recognise you.",
    ),
    "sso.unverified": (
        "Адрес {email} не подтверждён на сервере входа организации «{organization}».",
        "The address {email} is not verified by {organization}'s sign-in server.",
    ),
    "sso.other_domain": (
        "Адрес {email} не из домена {domain}: через вход организации «{organization}» входят только её адреса.",
        "{email} is not at {domain}: only {organization}'s own addresses sign in through it.",
    ),
    "sso.unknown_user": (
        "Учётной записи {email} нет в организации «{organization}». Попросите владельца организации пригласить вас.",
        "There is no account {email} in {organization}. Ask the organization's owner to invite you.",
    ),
    "sso.not_active": (
        "Учётная запись {email} не активна (ожидает подтверждения или заблокирована).",
        "The account {email} is not active (awaiting confirmation or blocked).",
    ),
    "login.locked": (
        "Слишком много неудачных попыток. Вход временно закрыт, попробуйте через {minutes} мин.",
        "Too many failed attempts. Try again in {minutes} min.",
    ),
    "login.status_rejected": ("Регистрация не подтверждена.", "The sign-up was not confirmed."),
    "login.status_blocked": ("Учётная запись заблокирована администратором.", "This account is blocked."),
    "password.forgot_title": ("Восстановление пароля", "Reset your password"),
    "password.forgot_hint": (
        "Укажите адрес, с которым вы входите. Мы пришлём ссылку для смены пароля.",
        "Enter the address you sign in with. We will send a link to set a new password.",
    ),
    "password.send": ("Прислать ссылку", "Send the link"),
    "password.sent": (
        "Если такой адрес зарегистрирован, письмо со ссылкой уже в пути. Ссылка действует 60 минут.",
        "If this address is registered, a letter with a link is on its way. The link works for 60 minutes.",
    ),
    "password.mail_failed": (
        "Не удалось отправить письмо. Попробуйте позже.",
        "The letter could not be sent. Please try later.",
    ),
    "password.reset_title": ("Новый пароль", "New password"),
    "password.new": ("Новый пароль", "New password"),
    "password.repeat": ("Пароль ещё раз", "Repeat the password"),
    "password.save": ("Сохранить пароль", "Save the password"),
    "password.too_short": ("Пароль — не короче {n} символов.", "The password needs at least {n} characters."),
    "password.mismatch": ("Пароли не совпадают.", "The passwords differ."),
    "password.link_dead": (
        "Ссылка устарела или уже использована.",
        "This link has expired or has been used.",
    ),
    "password.again": ("Запросить новую ссылку", "Ask for a new link"),
    "password.changed": (
        "Пароль изменён. Все прежние сеансы завершены — войдите с новым паролем.",
        "Password changed. Every earlier session has ended; sign in with the new password.",
    ),
    "logout.everywhere": ("Выйти на всех устройствах", "Log out everywhere"),
    "logout.everywhere_hint": (
        "Все ваши сеансы на всех устройствах будут завершены, включая этот.",
        "Every session on every device will end, this one included.",
    ),
    "logout.everywhere_done": ("Вы вышли на всех устройствах.", "You are logged out everywhere."),
    "logout.cancel": ("Отмена", "Cancel"),
    "lang.title": ("Язык интерфейса", "Interface language"),
    "lang.switch_ru": ("Переключить на русский", "Switch to Russian"),
    "lang.switch_en": ("Switch to English", "Switch to English"),
    "invite.title": ("Приглашение в Wattboard", "Invitation to Wattboard"),
    "invite.for": ("Приглашение для {email} от {inviter}.", "Invitation for {email} from {inviter}."),
    "invite.accept": ("Принять приглашение", "Accept the invitation"),
    "invite.link_dead": ("Приглашение устарело или уже принято.", "This invitation has expired or was accepted."),
    "signup.title": ("Регистрация", "Sign up"),
    "signup.email": ("Электронная почта", "Email"),
    "signup.password": ("Пароль (не короче 10 символов)", "Password (10 characters or more)"),
    "signup.full_name": ("Имя и фамилия", "Full name"),
    "signup.inn": ("ИНН организации или ИП (10 или 12 цифр)", "INN (10 or 12 digits)"),
    "signup.contract_number": ("Номер договора энергоснабжения", "Supply contract number"),
    "signup.supplier": ("Поставщик (энергосбытовая компания)", "Supplier"),
    "signup.contract_date": ("Дата договора", "Contract date"),
    "signup.submit": ("Зарегистрироваться", "Sign up"),
    "signup.have_account": ("Уже есть учётная запись? Войти", "Have an account? Sign in"),
    "signup.fix_fields": ("Проверьте отмеченные поля.", "Please check the marked fields."),
    "signup.name_needed": ("Укажите имя.", "Enter your name."),
    "signup.pending": (
        "Проверяем ИНН и договор в реестрах. Реестр пока не ответил — мы повторим проверку сами.",
        "Checking the INN and the contract. A registry has not answered yet; we will retry by ourselves.",
    ),
    "signup.pending_hint": (
        "Страница обновляется сама. Можно закрыть её: мы пришлём письмо, когда проверка закончится.",
        "This page refreshes itself. You may close it: we will email you when the check is done.",
    ),
    "signup.approved": ("Учётная запись подтверждена.", "Your account is confirmed."),
    "signup.sent": (
        "Мы отправили письмо на адрес {email}. Перейдите по ссылке в нём, чтобы завершить регистрацию.",
        "We have sent a letter to {email}. Follow the link in it to complete the sign-up.",
    ),
    "signup.sent_hint": (
        "Ссылка действует сутки. Письма нет — проверьте папку «Спам» или зарегистрируйтесь ещё раз.",
        "The link is valid for a day. No letter? Look in the spam folder or sign up again.",
    ),
    "signup.mail_down": (
        "Не удалось отправить письмо — попробуйте через несколько минут.",
        "The letter could not be sent; try again in a few minutes.",
    ),
    "signup.confirm": ("Подтвердить адрес и завершить регистрацию", "Confirm the address and complete the sign-up"),
    "signup.link_dead": (
        "Ссылка недействительна: она уже использована или устарела. Зарегистрируйтесь ещё раз.",
        "This link is not valid: it was used or has expired. Sign up again.",
    ),
    "signup.confirm_expired": (
        "Ссылка недействительна: она уже использована или устарела.",
        "This link is not valid: it was used or has expired.",
    ),
    "signup.confirm_taken": (
        "Пока вы подтверждали адрес, этот адрес или ИНН уже зарегистрировали. Войдите или восстановите пароль.",
        "While you were confirming, this address or INN was registered. Sign in or reset your password.",
    ),
    "signup.rejected": ("Регистрация не подтверждена: {reason}", "The sign-up was not confirmed: {reason}"),
    "signup.inn_not_found": ("ИНН не найден в реестре ФНС", "This INN is not in the tax registry"),
    "signup.ogrn": ("ОГРН", "OGRN"),
    "signup.registry_down": (
        "Реестр ФНС сейчас не отвечает ({why}); регистрация всё равно возможна — проверим позже.",
        "The tax registry does not answer now ({why}); you can still sign up, we will check later.",
    ),
    "signup.too_many_checks": ("Слишком много проверок, подождите минуту.", "Too many checks; wait a minute."),
    "api.title": ("API Wattboard — справочник", "Wattboard API reference"),
    "api.machine": ("описание OpenAPI 3.1 для программ и генераторов клиентов", "the OpenAPI 3.1 document"),
    "api.param": ("Параметр", "Parameter"),
    "api.where": ("Где", "In"),
    "api.required": ("Обязателен", "Required"),
    "api.in.query": ("в строке запроса", "query"),
    "api.in.path": ("в пути", "path"),
}

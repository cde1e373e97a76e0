"""The words of account letters, in Russian (the product's language)."""

from __future__ import annotations

from auth.mail import send
from config import Settings


def verification_result(settings: Settings, to: str, approved: bool, reason: str | None) -> None:
    if approved:
        send(
            settings,
            to,
            "Wattboard: учётная запись подтверждена",
            f"Здравствуйте!\n\nИНН и договор энергоснабжения подтверждены. Войдите: {settings.base_url}/login\n",
        )
    else:
        send(
            settings,
            to,
            "Wattboard: регистрация не подтверждена",
            f"Здравствуйте!\n\nПроверка не пройдена: {reason}.\nЕсли это ошибка, ответьте на это письмо.\n",
        )


def password_reset(settings: Settings, to: str, token: str, valid_minutes: int) -> None:
    send(
        settings,
        to,
        "Wattboard: восстановление пароля",
        "Здравствуйте!\n\nЧтобы задать новый пароль, откройте ссылку (она действует "
        f"{valid_minutes} минут и только один раз):\n{settings.base_url}/password/reset/{token}\n\n"
        "Если вы не просили сменить пароль, просто удалите это письмо.\n",
    )


def invitation(settings: Settings, to: str, token: str, organization: str, inviter: str, valid_days: int) -> None:
    send(
        settings,
        to,
        f"Wattboard: приглашение в {organization}",
        f"Здравствуйте!\n\n{inviter} приглашает вас в Wattboard, организация «{organization}».\n"
        f"Примите приглашение (ссылка действует {valid_days} дней): {settings.base_url}/invite/{token}\n",
    )


def signup_confirmation(settings: Settings, to: str, token: str, valid_hours: int) -> None:
    send(
        settings,
        to,
        "Wattboard: подтвердите адрес, чтобы завершить регистрацию",
        "Здравствуйте!\n\nЭтот адрес указали при регистрации в Wattboard. Чтобы завершить её, откройте ссылку "
        f"(она действует {valid_hours} часа и только один раз):\n{settings.base_url}/signup/confirm/{token}\n\n"
        "Если вы не регистрировались, просто удалите это письмо: без перехода по ссылке ничего не создаётся.\n",
    )


def signup_existing_account(settings: Settings, to: str) -> None:
    send(
        settings,
        to,
        "Wattboard: у вас уже есть учётная запись",
        "Здравствуйте!\n\nКто-то (возможно, вы) пытался зарегистрироваться в Wattboard с этим адресом, но учётная "
        f"запись с ним уже есть. Войдите: {settings.base_url}/login\nЕсли не помните пароль, восстановите его: "
        f"{settings.base_url}/password/forgot\n\nЕсли это были не вы, ничего делать не нужно.\n",
    )


def invitation_existing_account(settings: Settings, to: str, organization: str, inviter: str) -> None:
    send(
        settings,
        to,
        f"Wattboard: приглашение в {organization}",
        f"Здравствуйте!\n\n{inviter} приглашает вас в организацию «{organization}» в Wattboard, но у этого адреса уже "
        "есть учётная запись, а в Wattboard человек состоит в одной организации. Если хотите перейти, ответьте "
        f"пригласившему; войти можно здесь: {settings.base_url}/login\n",
    )

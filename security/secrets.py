"""Secrets (a partner's API keys, bearer tokens and passwords, Slack webhook addresses, OpenID client secrets)
encrypted at rest.

The key is the setting ``WATTBOARD_PARTNER_KEY`` (a Fernet key); in embedded mode one is generated
once into the data directory, like the session key.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from config import Settings


class SecretUnavailable(RuntimeError):
    """A stored secret cannot be decrypted with the configured key."""


def _key(settings: Settings) -> bytes:
    if settings.partner_key is not None:
        return settings.partner_key.get_secret_value().encode()
    path = settings.home / "partner_key"
    if not path.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
    return path.read_bytes().strip()


def encrypt(settings: Settings, secret: str) -> str:
    return Fernet(_key(settings)).encrypt(secret.encode()).decode()


def decrypt(settings: Settings, token: str) -> str:
    try:
        return Fernet(_key(settings)).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise SecretUnavailable(
            "a stored secret cannot be decrypted: is WATTBOARD_PARTNER_KEY the key it was stored with?"
        ) from None

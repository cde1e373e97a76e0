"""Telegram, the messenger Russian customers read: the installation's bot and the chats linked to it.

- :mod:`telegram.botapi` — the client of the Telegram Bot API (``getUpdates``, ``sendMessage``) at
  ``WATTBOARD_TELEGRAM_API_URL`` with the token ``WATTBOARD_TELEGRAM_BOT_TOKEN``; the token never reaches a log.
- :mod:`telegram.linking` — one-time link codes and the bot's answers in Russian and English (pure).
- :mod:`telegram.actions` — the use cases: offer a code on the profile page, unlink, and the scheduled poll that
  reads what people sent the bot and links the chat whose message carries a valid code.

Alerts reach a linked chat through Alertmanager's ``telegram_configs`` (``alerts.am_config``), never from here: this
package only links chats. Stores are reached through ``data.relational.telegram`` and
``data.relational.one_time_tokens``.
"""

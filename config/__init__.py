"""The one settings object of Wattboard (pydantic-settings, env prefix ``WATTBOARD_``).

Lives here: :class:`Settings` and :func:`load_settings`. Imports nothing from the project, so every
other package may import it.
"""

from config.settings import Settings, SettingsError, load_settings

__all__ = ["Settings", "SettingsError", "load_settings"]

"""The running app's :class:`~data.services.Services`, for callbacks and views."""

from __future__ import annotations

from flask import current_app

from data.services import Services


def services() -> Services:
    return current_app.extensions["wattboard"]

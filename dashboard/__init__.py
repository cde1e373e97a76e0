"""The web application: Flask server, Dash app shell, login views, REST API, health and metrics.

Lives here: :func:`create_app` (``app``), server-rendered login/logout (``auth_views``), the REST API
(``api``), ``/health`` and ``/ready`` (``health``), interface strings (``i18n``) and the app shell
(``shell``). Pages are in ``pages/`` (layout only), their callbacks in ``callbacks/``. May import
every project package.
"""

from dashboard.app import create_app

__all__ = ["create_app"]

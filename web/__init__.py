"""The web application's HTTP side: the Flask server and the Dash app built on it (``app.create_app``), the
server-rendered account views (login, single sign-on, sign-up, password, invitations, the language switch),
the REST API (``api``), CSV/XLSX exports (``exports``), ``/health`` and ``/ready`` (``health``), the request
guards, security headers and error pages, and the WSGI entry point (``wsgi``).

Pages (``pages/``, layout only) and their callbacks (``callbacks/``) are loaded by ``create_app``; the interface
kit they share is ``dashboard``. May import every project package but ``runtime``.
"""

from web.app import create_app

__all__ = ["create_app"]

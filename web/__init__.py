"""The web application's HTTP side: the Flask server and the Dash app built on it (``app.create_app``), the
server-rendered account views (login, single sign-on, sign-up, password, invitations, the language switch),
the REST API (``api``), CSV/XLSX exports (``exports``), ``/health`` and ``/ready`` (``health``), the request
guards, security headers and error pages, how Dash's answers are serialised (``answer_json``) and what is sent
alike to everyone built once (``prepared_answers``), and the WSGI entry point (``wsgi``).

Pages (``pages/``, layout only) and their callbacks (``callbacks/``) are loaded by ``create_app``; the interface
kit they share is ``dashboard``. A view calls the use-case functions of the domain packages and never ``data``
itself (but for the services container and the broker's error it answers 503 for); never imports ``runtime``.
Both are import contracts in ``pyproject.toml``.
"""

from web.app import create_app

__all__ = ["create_app"]

"""The Dash interface kit the pages and callbacks are built from: the app shell (navbar, the bell — ``bell`` —,
organization switch), components, figures, number and date formatting (its words come from the ``i18n`` package),
the page state in the URL (``view_state``), the component ids of each page (``ids``), the metering-point pickers'
choices and their callbacks, declared once per picker (``meter_choice``, ``pickers``), components built as the JSON
Dash sends (``plain``: the shell and the pages), a callback's whole answer shared by readers with the same rights
(``shared_answer``), the static assets, and ``services()`` (the services of the running app).

The HTTP side — ``create_app``, login, sign-up, single sign-on, the REST API, exports, health, request guards,
security headers — is ``web``. May import the domain packages, ``data`` (types and the page-state lookups) and
``config``; never ``web``, ``pages``, ``callbacks``, ``workers`` or ``runtime`` (checked by ``lint-imports``).
"""

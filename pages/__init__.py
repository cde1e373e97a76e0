"""Dash pages, one module a page, layout only: what the user sees before any data arrives.

Each module registers itself with ``dash.register_page``; its data comes from the callbacks module
of the same name in ``callbacks/``. May import ``i18n``,
``context.sessions.current_principal`` (to show a page only to the roles it is for) and Dash;
nothing that queries data, and never ``callbacks``, ``workers`` or ``runtime`` (checked by ``lint-imports``).
"""

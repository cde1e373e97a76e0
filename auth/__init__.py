"""Who is asking and what they may see: passwords, sessions, API tokens, roles and tenants.

Lives here: password hashing (``passwords``), the :class:`Principal` and its access rules
(``principal``), Flask-Login wiring and CSRF (``sessions``). May import ``data`` and ``config``;
never ``dashboard``, ``pages`` or ``callbacks``.
"""

"""Who is asking and what they may see: passwords, sessions, API tokens, roles and tenants.

Lives here: password hashing (``passwords``), the :class:`Principal` and its access rules
(``principal``, ``access``), the callback guard (``guard``), Flask-Login wiring and CSRF (``sessions``),
INN checksums (``inn``), sign-up against the registries (``signup``), login throttling and rate limits
(``throttle``), account letters (``mail``, ``letters``) and invitations (``invites``). May import ``data``,
``registries`` and ``config``; never ``dashboard``, ``pages`` or ``callbacks``.
"""

"""Who is asking and what they may see: passwords, sessions, API tokens, roles and tenants — and the account use
cases the views, the CLI and the jobs call.

Lives here: password hashing (``passwords``), the :class:`Principal` and its access rules (``principal``,
``access``), the callback guard (``guard``), Flask-Login wiring and CSRF (``sessions``), INN checksums (``inn``),
login throttling and rate limits (``throttle``), account letters (``mail``, ``letters``); and one function per use
case, each owning the permission check, the change, the audit event and the letter: signing in with a password
(``login``), a forgotten password and ending every session (``password_reset``), sign-up against the registries and
its re-check (``signup``), invitations (``invites``), administrators' decisions and listings (``user_admin``). May
import ``data``, ``registries`` and ``config``; never ``web``, ``dashboard``, ``pages``, ``callbacks``, ``workers``
or ``runtime`` (``pyproject.toml``'s import contracts).
"""

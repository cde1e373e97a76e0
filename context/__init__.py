"""The web side's context: what a request or a Dash callback runs with — the running app's services (``services``),
the signed-in caller and their session (``sessions``: Flask-Login, API bearer tokens, session epochs, CSRF tokens)
the guard every callback goes through (``guard.signed_in``) and the caller's today (``today.reader_today``: where
they read times, for a page's default range).

These are web concerns, so they are not in the ``auth`` domain (which owns principals, roles and tenant rules) nor in
the Dash kit: the Flask views, the REST API, the downloads, the pages and the callbacks all import them from here.
Sits under ``dashboard`` and over the domain: may import ``auth``, ``data`` (sessions and tokens), Flask, Flask-Login
and Dash's ``PreventUpdate``; never ``web``, ``pages``, ``callbacks`` or ``dashboard``.
"""

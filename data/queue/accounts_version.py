"""One counter in Redis that every change to users or their sessions increments (a sign-out, a role or status
changed, a password reset ending every session): a web worker that checked a session at one value may trust its
check while the value has not moved."""

from __future__ import annotations

from data.queue.versions import Counter

KEY = "wb:accounts-version"
ACCOUNTS = Counter(KEY, ("users", "user_sessions"))
current, bump, watch = ACCOUNTS.current, ACCOUNTS.bump, ACCOUNTS.watch

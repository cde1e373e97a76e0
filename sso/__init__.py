"""Single sign-on: an organization's own OpenID Connect provider signs its members in.

Lives here: the administrator's use cases that connect or disconnect a provider (``providers``) and the check
of what a provider says about a person before Wattboard opens a session for them (``sign_in``). The OIDC
protocol itself (redirects, state, PKCE, the token exchange, the ID token's signature) is dash-auth's
``OIDCAuth`` with Authlib, wired in ``web.sso_views``. Roles stay Wattboard's: a provider only proves who
someone is. May import ``auth``, ``data``, ``security`` (secrets, the outbound address check) and ``config``; never
``dashboard``, ``pages`` or ``callbacks``.
"""

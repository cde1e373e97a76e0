"""Tariff prices as users meet them: the price book read from the tariff table, editing it (admins), and the
comparison of what a metering point's actual consumption would cost on each plan.

Lives here: ``book`` (the installation's :class:`analytics.tariffs.PriceBook`), ``admin`` (the use cases that
change prices, audited), ``comparison`` (cost of a range on every plan, to the kopeck). The zone rules and
pricing arithmetic are in ``analytics.tariffs``. May import ``analytics``, ``auth``, ``data`` and ``config``;
never ``dashboard``, ``pages`` or ``callbacks``.
"""

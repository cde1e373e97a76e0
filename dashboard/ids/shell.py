"""The shell's (the bar and the organization switch on every page) component ids: :mod:`dashboard.shell` lays them out,
:mod:`callbacks.shell` reads and writes them."""

from __future__ import annotations

NAV_OVERVIEW = "nav-overview"
NAV_CONSUMPTION = "nav-consumption"
NAV_ANALYSIS = "nav-analysis"
NAV_FORECAST = "nav-forecast"
NAV_RECOMMENDATIONS = "nav-recommendations"
NAV_DEVICES = "nav-devices"
NAV_MANAGE = "nav-manage"
LANG_NEXT = "lang-next"
ORG_LINK = "org-link"
PROFILE_LINK = "profile-link"
LOGOUT_EVERYWHERE_LINK = "logout-everywhere-link"
USER_MENU = "user-menu"
ORG_SWITCH = "org-switch"
BELL = "bell"
BELL_COUNT = "bell-count"
NAV_TOGGLER = "nav-toggler"
NAV_COLLAPSE = "nav-collapse"
STAFF_URL = "shell-staff-url"  # in staff's shells only: what moves their organization switch
BELL_TICK = "bell-tick"
BELL_SEEN = "bell-seen"  # the version of the bell the page shows
BELL_ALL = "bell-all"

"""A new organization's first run: its first metering point, then one of three ways to get its data in.

- ask a partner: the request reaches the staff (their bell, and the list on ``/partners``);
- upload a file its supplier or meter software exported: the partners' own parsers and ingest steps, through the
  organization's upload partner, confined to the organization's own points (:mod:`partners.sniff` tells the
  format and the columns from the file itself);
- enter register readings by hand (:mod:`manual`).

- :mod:`onboarding.actions` — the use cases: where the organization stands, add the point, ask, upload.
"""

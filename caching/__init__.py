"""Figures computed once and shared by every web worker until the data under them changes.

- :mod:`caching.answers` — :func:`cached` (compute, or take the answer another request computed at the same data
  versions) and :func:`changed` (whatever changes an organization's data says so).
- :mod:`caching.after_write` — the ingestion consumer's step that marks the organizations of freshly written points.

Tenant-safe by construction: an answer's key carries the points it was computed from (what the caller may see was
checked before) and the versions of their organizations. Redis is reached only through
``data.queue.answer_cache``; when it does not answer, figures are computed as if there were no cache. Imports
only ``data``, ``pipeline`` and ``config``.
"""

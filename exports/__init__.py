"""Downloads of what the pages show: the tables (``tables``: one function per chart or table, the same data and tenant
rules as the page, headers in the reader's language) and the file formats they are written in (``formats``: a
:class:`exports.formats.base.Writer` per format — CSV, XLSX — in a registry, the model being ``partners/formats/``).
The web route (``web/exports.py``) only wires a view to a writer.

Sits beside ``pages`` and ``callbacks`` (it reads the page state of ``dashboard.view_state`` and the words of
``i18n``): may import ``dashboard``, the domain packages, ``data.services`` and ``config``; never ``web``,
``pages``, ``callbacks``, Flask or a store.
"""

"""Alembic migrations of the relational model; run them with :func:`data.migrate.upgrade`."""

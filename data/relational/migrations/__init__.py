"""Alembic migrations of the relational model; run them with :func:`data.relational.migrate.upgrade`."""

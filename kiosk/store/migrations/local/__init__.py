"""Alembic tree of the local database."""

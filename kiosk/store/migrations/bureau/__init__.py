"""Alembic tree of the bureau database."""

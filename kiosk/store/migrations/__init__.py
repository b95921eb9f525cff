"""Alembic migrations shipped inside the package: ``local/`` and ``bureau/`` trees."""

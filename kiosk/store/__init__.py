"""SQLAlchemy models, the local SQLite store, repositories and Alembic migrations."""

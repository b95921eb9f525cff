"""ALL SQL of the kiosk: the local store (models, repositories, outbox, ticket book) and
the one gateway to the bureau database, with the Alembic migrations of both."""

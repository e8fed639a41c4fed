"""Alembic environment: the connection comes from discernment.store (config.attributes["connection"])."""

from alembic import context

from discernment.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()

"""Persistence: where the database is, its schema, the repositories and the checkpointer."""

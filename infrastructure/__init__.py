"""Adapters that talk I/O: PostgreSQL and SQLite specifics the library leaves to us."""

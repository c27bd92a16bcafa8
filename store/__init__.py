"""Persistence: tables, repositories, units of work and posting transactions. The only SQL."""

"""Posting transactions: lock, load, ask domain/ what to write, insert. Never update amounts."""

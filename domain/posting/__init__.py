"""Posting planners: each kind of posting is a pure function from the facts the store loaded
(entries, setup, terms, rates) to the rows to write and the typed errors; store/ loads, locks,
calls a planner, writes its plan with the one writer and commits."""

"""Background jobs on arq/Redis: statement runs, rendering, delivery."""

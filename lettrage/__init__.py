"""Composition root: settings, CLI, embedded services, logging."""

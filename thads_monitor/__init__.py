"""Composition root: settings, CLI and scheduler wiring of THADS Press Monitor."""

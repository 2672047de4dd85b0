"""Alerts and the response workflow: cases, deadlines, notifications. Imports `storage` only."""

"""Backups of the SQLite database: ``flask backup create`` and ``flask backup restore``."""

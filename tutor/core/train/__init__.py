"""Trainers, one module per model family. Each reports progress through a callback
and stops early when asked, so the app can stream it and the CLI can print it."""


class TrainingCancelled(Exception):
    """The caller asked the trainer to stop; nothing was kept."""

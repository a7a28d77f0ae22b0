"""Lesson catalog, quiz checking and the progress file. Imports neither textual nor torch."""

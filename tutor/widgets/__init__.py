"""Reusable widgets: token table, quiz panel, lesson list, top bar."""

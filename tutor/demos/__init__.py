"""Screens and lesson demos: one small class per lesson's 実験 tab, plus the app's dialogs."""

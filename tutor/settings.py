"""Where the tutor keeps things, and the learner's settings.

Paths are resolved once, in :func:`default_paths`, and passed into the app and
the CLI, so tests can point everything at a temporary directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "nlp-tutor"

#: The project checkout: lessons/, assets/ and models/ live beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEVICES = ("auto", "cpu", "cuda")
THEMES = {"dark": "textual-dark", "light": "textual-light"}


@dataclass(frozen=True)
class Paths:
    """Every location the tutor reads or writes."""

    data_dir: Path  # user data: progress, downloaded corpus, saved models
    config_dir: Path  # user config: settings
    lessons_dir: Path = PROJECT_ROOT / "lessons"
    assets_dir: Path = PROJECT_ROOT / "assets"
    models_dir: Path = PROJECT_ROOT / "models"

    @property
    def progress_file(self) -> Path:
        return self.data_dir / "progress.json"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    @property
    def user_models_dir(self) -> Path:
        """Models the learner trained and saved; the bundled ones stay untouched."""
        return self.data_dir / "models"

    @property
    def exports_dir(self) -> Path:
        """Where the x key writes pictures and numbers of what the learner sees (tutor/export.py).

        Beside the progress file, not the working directory: the app may be started from
        anywhere, and the learner finds every export in one place (the notice names it)."""
        return self.data_dir / "exports"

    @property
    def corpus_dir(self) -> Path:
        """Where `tutor data download` puts the corpus."""
        return self.data_dir / "small_parallel_enja"


def default_paths() -> Paths:
    """The platform's user directories (platformdirs); TUTOR_HOME puts both under one folder."""
    home = os.environ.get("TUTOR_HOME")
    if home:
        base = Path(home).expanduser()
        return Paths(data_dir=base / "data", config_dir=base / "config")
    import platformdirs

    return Paths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
    )

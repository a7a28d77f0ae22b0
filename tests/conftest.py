"""Shared fixtures: every test gets its own user directories, never the real ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.settings import Paths

# Tests never touch the learner's real progress, whatever they call.
os.environ.setdefault("TUTOR_HOME", str(Path(os.environ.get("TMPDIR", "/tmp")) / "tutor-tests-home"))


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(data_dir=tmp_path / "data", config_dir=tmp_path / "config")

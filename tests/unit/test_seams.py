"""Architecture seams: the core imports no UI, and the curriculum imports no torch."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tutor.core
import tutor.curriculum


def _modules(package) -> list[str]:
    return [f"{package.__name__}.{m.name}" for m in pkgutil.walk_packages(package.__path__)]


def test_core_and_curriculum_import_neither_textual_nor_torch() -> None:
    modules = _modules(tutor.core) + _modules(tutor.curriculum)
    assert "tutor.core.text" in modules and "tutor.curriculum.progress" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in ('textual', 'torch') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == ""


def test_the_app_module_does_not_import_torch() -> None:
    code = "import sys, tutor.app, tutor.__main__; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "False"

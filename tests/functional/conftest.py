"""Pilot fixtures: an app on temporary user directories and a device probe that needs no torch."""

from __future__ import annotations

import pytest

from tutor.app import build_app
from tutor.core.device import resolve


def cpu_only(requested: str):
    """The device probe of a machine without a GPU, without importing torch."""
    return resolve(requested, cuda_name=lambda: None)


@pytest.fixture
def make_app(paths):
    def make(device: str | None = None):
        return build_app(paths=paths, device=device, resolve_device=cpu_only, device_check_delay=0.1)

    return make

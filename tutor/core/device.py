"""Choosing where models run: ``auto``, ``cpu`` or ``cuda``.

Importing torch costs about a second, so nothing here imports it at module
level; the app resolves the device in a worker after its first frame.
"""

from __future__ import annotations

from dataclasses import dataclass

CHOICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class DeviceChoice:
    requested: str  # what the learner asked for
    device: str  # what models will use: "cpu" or "cuda"
    name: str  # human-readable, e.g. "CPU" or "CUDA (NVIDIA H100)"
    notice: str = ""  # set when the request could not be honoured

    def to_json(self) -> dict:
        return {"requested": self.requested, "device": self.device, "name": self.name, "notice": self.notice}


def _cuda_name() -> str | None:
    """The first GPU's name, or None without a usable CUDA device."""
    try:
        import torch
    except ImportError:
        return None
    try:
        if not torch.cuda.is_available():
            return None
        return torch.cuda.get_device_name(0)
    except Exception:  # a broken driver counts as no GPU
        return None


def resolve(requested: str, *, cuda_name=None) -> DeviceChoice:
    """Turn a request into a device that exists. Never raises for a missing GPU.

    ``cuda_name`` (tests) replaces the probe that imports torch and asks CUDA.
    """
    cuda_name = cuda_name or _cuda_name
    if requested not in CHOICES:
        raise ValueError(f"デバイスは {', '.join(CHOICES)} のいずれかです（指定: {requested!r}）")
    if requested == "cpu":
        return DeviceChoice("cpu", "cpu", "CPU")
    gpu = cuda_name()
    if gpu:
        return DeviceChoice(requested, "cuda", f"CUDA ({gpu})")
    if requested == "cuda":
        return DeviceChoice("cuda", "cpu", "CPU", notice="GPU (CUDA) が見つからないため、CPU で実行します。")
    return DeviceChoice("auto", "cpu", "CPU")

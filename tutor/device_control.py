"""The app's device: checked off the UI thread after start-up, cycled with d, shown in the top bar.

Mixed into TutorApp (tutor/app.py), whose top bar, settings store and lesson demos it uses.
"""

from __future__ import annotations

from textual import work
from textual.message import Message

from .core.device import CHOICES as DEVICE_CHOICES, DeviceChoice
from .demos.base import LessonDemo


class DeviceControl:
    class DeviceResolved(Message):
        def __init__(self, choice: DeviceChoice, requested: str) -> None:
            super().__init__()
            self.choice = choice
            self.requested = requested

    def start_device_check(self, requested: str) -> None:
        if not self._top_bar().is_attached:
            return  # the app is closing: the start-up timer can fire during shutdown
        self.requested_device = requested
        self.device = None
        self._show_device()
        self.check_device(requested)

    @work(thread=True, exclusive=True, group="device", exit_on_error=False)
    def check_device(self, requested: str) -> None:
        self.post_message(self.DeviceResolved(self._resolve_device(requested), requested))

    def on_device_control_device_resolved(self, message: DeviceResolved) -> None:
        if message.requested != self.requested_device:
            return  # a newer request is on its way
        self.device = message.choice
        self._show_device()
        if message.choice.notice:
            self.notify(message.choice.notice, title="デバイス", severity="warning", timeout=8)
        for demo in self.query(LessonDemo):
            demo.device_changed(message.choice)

    def action_cycle_device(self) -> None:
        i = DEVICE_CHOICES.index(self.requested_device) if self.requested_device in DEVICE_CHOICES else 0
        self.set_device(DEVICE_CHOICES[(i + 1) % len(DEVICE_CHOICES)])

    def set_device(self, requested: str) -> None:
        self.settings.device = requested
        self.save_settings()
        self.start_device_check(requested)

"""`tutor serve`: the tutor in a browser tab for a classroom (textual-serve; one app process per learner)."""

import os

#: Set by the server (server.py) in every learner's app process.
SERVED_ENV = "TUTOR_SERVED"


def served() -> bool:
    """This app runs in a browser tab, for a learner who has no shell on this machine."""
    return os.environ.get(SERVED_ENV) == "1"

"""演習: small programming exercises the learner solves in their own editor.

The learner's file is never imported by the app: :mod:`.sandbox` runs it in a
separate Python process (:mod:`.worker`) with time, memory and system-call
limits, and only plain data crosses the pipe (:mod:`.wire`). Expected values
come from the project's own implementations in :mod:`tutor.core`
(:mod:`.defs`, one module per exercise); :mod:`.checking` compares and says
what differs. No textual here: the CLI and the app share all of it.
"""

"""Journeys: the installed `tutor` driven in a real terminal (tmux), as a learner uses it (issue 14).

terminal.py is the harness (start, send keys, click, read the screen and its colours,
quit); steps.py says what the journeys check; test_pages.py walks every 実験 page of
every lesson; test_cases.py holds issue 14's cases. JOURNEY_TRACE=1 prints how long
each wait took; TUTOR_JOURNEY_COMMAND runs them against another build of the app.
"""

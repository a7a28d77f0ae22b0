"""One module per exercise; each defines ``EXERCISE`` (see tutor.exercises.spec)."""

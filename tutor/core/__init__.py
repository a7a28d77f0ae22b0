"""NLP and models. Nothing under tutor.core imports textual."""

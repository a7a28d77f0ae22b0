"""日本語NLPチューター: learn modern NLP in the terminal, from MeCab to BERT."""

__version__ = "0.1.0"

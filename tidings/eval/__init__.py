"""Evaluations against human-labelled data (read from ../shared/data, never copied)."""

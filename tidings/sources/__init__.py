"""Where articles come from: files, folders, JSON/JSONL records, stdin, URLs."""

from .files import InputRecord, Skipped, count_inputs, iter_inputs, record_from_json

__all__ = ["InputRecord", "Skipped", "count_inputs", "iter_inputs", "record_from_json"]

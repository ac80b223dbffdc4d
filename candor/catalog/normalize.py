"""The catalog's name normalisation lives in `candor.normalize` (the model's SDK key uses it too); imported here for existing callers."""

from candor.normalize import edit_distance, fuzzy_limit, normalize_name, to_simplified

__all__ = ["edit_distance", "fuzzy_limit", "normalize_name", "to_simplified"]

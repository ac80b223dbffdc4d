"""The extractor's own word lists (declared/data/*.yaml), loaded once."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from declared.textnorm import fold

DATA = Path(__file__).parent / "data"


@cache
def lexicon() -> dict[str, Any]:
    """lexicon.yaml: platforms, link words, vague terms, negative contexts."""
    return yaml.safe_load((DATA / "lexicon.yaml").read_text(encoding="utf-8"))


@cache
def personal_data_phrases() -> dict[str, str]:
    """Folded phrase -> personal-data category."""
    raw = yaml.safe_load((DATA / "personal_data.yaml").read_text(encoding="utf-8"))
    return {fold(str(phrase)).lower(): category for category, phrases in raw.items() for phrase in phrases}


def words(key: str) -> list[str]:
    """A word list of lexicon.yaml, folded and lower-cased."""
    return [fold(str(w)).lower() for w in lexicon().get(key, [])]

"""A cheap pre-filter for edit-distance matching: keys that can be within N edits of a text.

One edit changes at most two character bigrams, so a key within `limit` edits shares all but 2×limit of the
text's bigrams and differs in length by at most `limit`. Only those keys need the exact (slow) distance.
"""


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class NearIndex:
    """Bigram index over normalised keys."""

    def __init__(self, keys: list[str]) -> None:
        self._by_gram: dict[str, list[str]] = {}
        for key in set(keys):
            for gram in bigrams(key):
                self._by_gram.setdefault(gram, []).append(key)

    def candidates(self, text: str, limit: int) -> list[str]:
        """Keys that may lie within `limit` edits of `text`."""
        grams = bigrams(text)
        need = len(grams) - 2 * limit
        shared: dict[str, int] = {}
        for gram in grams:
            for key in self._by_gram.get(gram, ()):
                if abs(len(key) - len(text)) <= limit:
                    shared[key] = shared.get(key, 0) + 1
        if need <= 0:  # too short to say: every key of a close length
            return [k for keys in self._by_gram.values() for k in keys if abs(len(k) - len(text)) <= limit]
        return [key for key, count in shared.items() if count >= need]

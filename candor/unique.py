"""First-wins de-duplication by key, keeping the original order."""

from collections.abc import Callable, Hashable, Iterable


def unique_by[T](items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """The first item of each key, in the order the items came."""
    seen: dict[Hashable, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())

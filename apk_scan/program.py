"""The app's code across all its DEX files: where a class is defined, its superclass, a method's code."""

from functools import cached_property
from typing import NamedTuple

import numpy as np

from apk_scan.dex.body import MethodBody, decode_body
from apk_scan.dex.code import method_code_index
from apk_scan.dex.reader import DexFile

NO_INDEX = 0xFFFFFFFF
NO_CODE = -1


class MethodRef(NamedTuple):
    """A method by class descriptor and name (overloads are taken together)."""

    cls: str  # descriptor, Lcom/a/B;
    name: str


class Program:
    """Lookups over every DEX the app loads; method bodies are decoded on demand and cached."""

    def __init__(self, dexes: list[DexFile]) -> None:
        self.dexes = dexes
        self._codes: dict[int, np.ndarray] = {}
        self._bodies: dict[tuple[int, int], MethodBody] = {}

    @cached_property
    def classes(self) -> dict[str, tuple[int, int]]:
        """Class descriptor -> (DEX index, class_def index); the first definition wins, as on a device."""
        index: dict[str, tuple[int, int]] = {}
        for d, dex in enumerate(self.dexes):
            for c, descriptor in enumerate(dex.class_descriptors):
                index.setdefault(descriptor, (d, c))
        return index

    def defines(self, descriptor: str) -> bool:
        return descriptor in self.classes

    def superclass(self, descriptor: str) -> str | None:
        where = self.classes.get(descriptor)
        if where is None:
            return None
        dex = self.dexes[where[0]]
        sup = int(dex.class_defs[where[1]]["superclass"])
        return None if sup == NO_INDEX or sup >= dex.types.size else dex.type_descriptor(sup)

    def _code_of(self, d: int) -> np.ndarray:
        """Code offset of every method id of DEX `d` (NO_CODE when it has none); a method listed twice keeps its last
        code item, in code-offset order."""
        if d not in self._codes:
            dex = self.dexes[d]
            codes, owners = method_code_index(dex)
            last = owners.size - 1 - np.unique(owners[::-1], return_index=True)[1]
            methods, offsets = owners[last], codes[last]
            inside = methods < dex.methods.size
            table = np.full(dex.methods.size, NO_CODE, dtype=np.int64)
            table[methods[inside]] = offsets[inside]
            self._codes[d] = table
        return self._codes[d]

    def bodies(self, ref: MethodRef, inherit: int = 0) -> list[tuple[int, MethodBody]]:
        """(DEX index, body) of every overload of `ref` with code; looks `inherit` superclasses up when undefined."""
        descriptor: str | None = ref.cls
        for _ in range(inherit + 1):
            if descriptor is None or descriptor not in self.classes:
                return []
            d = self.classes[descriptor][0]
            dex = self.dexes[d]
            type_idx, name_idx = dex.find_type(descriptor), dex.find_string(ref.name)
            if type_idx is not None and name_idx is not None:
                code_of = self._code_of(d)
                found = []
                for code in code_of[dex.find_members("methods", type_idx, name_idx)].tolist():
                    if code != NO_CODE:
                        key = (d, code)
                        if key not in self._bodies:
                            self._bodies[key] = decode_body(dex, code)
                        found.append((d, self._bodies[key]))
                if found:
                    return found
            descriptor = self.superclass(descriptor)
        return []

    def method_ref(self, d: int, method_idx: int) -> MethodRef:
        dex = self.dexes[d]
        item = dex.methods[method_idx]
        return MethodRef(dex.type_descriptor(int(item["cls"])), dex.string(int(item["name"])))

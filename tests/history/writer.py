"""A history writer for the concurrency and kill -9 tests: prints "writing" before each run and its id once committed."""

import sys

from candor.history.store import HistoryStore
from tests.history.factories import bulky_record


def main(store_path: str, tag: str, count: int) -> None:
    with HistoryStore(store_path) as store:
        i = 0
        while count <= 0 or i < count:
            record = bulky_record(f"{tag}-{i}")
            print("writing", flush=True)
            run_id = store.record(record)
            print(run_id, flush=True)
            i += 1


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))

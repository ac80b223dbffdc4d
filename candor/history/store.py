"""The SQLite history store: WAL, one transaction per run, versioned schema, safe for concurrent writers.

A store is only trusted after its schema is checked (`schema_problem`): Candor's marker, exactly the tables and
indexes the migrations create, and no views or triggers, so no query can be redirected into SQL the store did
not create. Read-only opens (`read_only=True`) use SQLite's mode=ro and change nothing in the file.
"""

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

from pydantic import ValidationError

from candor.errors import InputError
from candor.history.migrations import LATEST_VERSION, MIGRATIONS
from candor.history.records import RunRecord
from candor.inputs import one_line, regular_file, validation_summary
from candor.model.findings import Finding

BUSY_TIMEOUT_MS = 60_000
APPLICATION_ID = 0x43414E44  # "CAND" in the file header: Candor's schema marker
QUERY_SECONDS = 30.0  # one statement may run this long; a hostile store cannot stall a command for longer
_PROGRESS_STEPS = 10_000


class HistoryStore:
    """A history database. Readers never block writers (WAL); writers serialise on BEGIN IMMEDIATE."""

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if (read_only or not create) and not self.path.exists():
            raise InputError(f"no history store at {self.path} (record runs with `candor report` or `candor apk batch`)")
        if self.path.exists():
            regular_file(self.path)  # never a FIFO, device or directory
        self._deadline = time.monotonic() + QUERY_SECONDS
        if not read_only and self.path.exists() and self.path.stat().st_size:
            self.conn = self._connect(read_only=True)  # judged through a read-only connection first: a refused file is untouched
            try:
                self._check_schema(allow_empty=True)
            finally:
                self.conn.close()
        self.conn = self._connect(read_only)
        try:
            self._check_schema(allow_empty=not read_only)
            if read_only:
                self.conn.execute("PRAGMA query_only = ON")
                version = self.schema_version()
                if version != LATEST_VERSION:
                    raise InputError(f"{self.path}: history schema version {version}, this Candor reads {LATEST_VERSION} "
                                     "(a recording command such as `candor report` upgrades it)")
            else:
                self._configure()
                self._migrate()
        except InputError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise InputError(f"{self.path}: not a Candor history store ({one_line(exc)})") from None

    def _connect(self, read_only: bool) -> sqlite3.Connection:
        try:
            if read_only:
                # mode=ro never writes the database; without a live -wal file (no writer, nothing to recover) it is
                # also opened immutable, so SQLite creates no -wal/-shm files beside it either.
                live = self.path.with_name(self.path.name + "-wal").exists()
                uri = f"file:{quote(str(self.path.resolve()))}?mode=ro" + ("" if live else "&immutable=1")
                conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open history store {self.path}: {one_line(exc)}") from None
        conn.set_progress_handler(self._over_time, _PROGRESS_STEPS)
        return conn

    def _check_schema(self, *, allow_empty: bool) -> None:
        try:
            problem = self.schema_problem(allow_empty=allow_empty)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a Candor history store ({one_line(exc)})") from None
        if problem:
            raise InputError(f"{self.path}: not a Candor history store ({problem}); left unchanged")

    def _over_time(self) -> int:
        """SQLite's progress callback: a non-zero answer interrupts a statement that ran past its deadline."""
        return 1 if time.monotonic() > self._deadline else 0

    def _execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        """Run one statement with a fresh deadline; a statement past it is an InputError, never a hang."""
        self._deadline = time.monotonic() + QUERY_SECONDS
        try:
            return self.conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                raise InputError(f"{self.path}: a history query ran over {QUERY_SECONDS:.0f} s (damaged or hostile store?)") from None
            raise InputError(f"{self.path}: history store unreadable ({one_line(exc)})") from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: history store unreadable ({one_line(exc)})") from None

    def schema_problem(self, *, allow_empty: bool = False) -> str | None:
        """Why this database is not (exactly) a Candor store, or None when it is.

        Only sqlite_master is read, which never runs a view or trigger. An empty database is acceptable
        when `allow_empty` (a new store about to be created).
        """
        objects = {
            (str(kind), str(name)): (str(table), _squash(sql))
            for kind, name, table, sql in self.conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            if not str(name).startswith("sqlite_autoindex_")
        }
        if not objects and allow_empty:
            return None
        marker = self.conn.execute("PRAGMA application_id").fetchone()[0]
        if marker not in (0, APPLICATION_ID) or ("table", "schema_version") not in objects:
            return "no Candor schema marker"
        foreign = sorted(name for kind, name in objects if kind in ("view", "trigger"))
        if foreign:
            return f"it holds views or triggers Candor does not create: {', '.join(foreign[:3])}"
        version = self.schema_version()
        if version > LATEST_VERSION:
            return None  # a newer Candor's store: _migrate and the readers say so in their own words
        expected = _expected_schema(version)
        ours = {table for table, _ in expected.values()}
        for key, (table, sql) in objects.items():
            if table in ours and expected.get(key) != (table, sql):
                return f"{key[0]} {key[1]} is not as Candor creates it"
        missing = sorted(name for kind, name in expected if (kind, name) not in objects)
        if missing:
            return f"missing {', '.join(missing[:3])}"
        return None

    # -- connection and schema -------------------------------------------------

    def _configure(self) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:  # switching to WAL needs a moment alone with a brand-new file
            try:
                mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        if str(mode).lower() != "wal":
            raise InputError(f"{self.path}: cannot use WAL journal mode (got {mode}); is it on a network file system?")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute("PRAGMA foreign_keys = ON")

    def _migrate(self) -> None:
        if self.schema_version() == LATEST_VERSION:
            if self.conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            return
        with self.transaction():
            self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = self.schema_version()  # again, now that we hold the write lock
            if current > LATEST_VERSION:
                raise InputError(f"{self.path}: schema version {current} is newer than this Candor ({LATEST_VERSION}); upgrade Candor")
            for script in MIGRATIONS[current:]:
                for statement in filter(str.strip, script.split(";")):
                    self.conn.execute(statement)
            self.conn.execute("DELETE FROM schema_version")
            self.conn.execute("INSERT INTO schema_version (version) VALUES (?)", (LATEST_VERSION,))

    def schema_version(self) -> int:
        """The applied schema version (0 for an empty database)."""
        exists = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
        if not exists:
            return 0
        row = self.conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: takes the write lock up front, commits all or nothing."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------

    def record(self, run: RunRecord) -> int:
        """Write one run with all its rows in a single transaction; returns its id."""
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO runs (kind, package, version_name, version_code, apk_sha256, started_at, evidence, tool_version,"
                " n_findings, n_sdks, n_permissions, n_identifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.kind, run.package, run.version_name, run.version_code, run.apk_sha256, run.started_at,
                    json.dumps(run.evidence, ensure_ascii=False, sort_keys=True, default=str), run.tool_version,
                    len(run.findings), len(run.sdks), len(run.permissions), len(run.identifiers),
                ),
            )  # fmt: skip
            run_id = int(cursor.lastrowid or 0)
            conn.executemany(
                "INSERT INTO findings (run_id, finding_id, kind, severity, sdk_id, identifier, permission, title, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (run_id, f.id, f.kind, f.severity, f.sdk_id, f.identifier, f.permission, f.title, f.model_dump_json())
                    for f in run.findings
                ],
            )
            conn.executemany(
                "INSERT INTO run_sdks (run_id, sdk_key, sdk_id, name) VALUES (?, ?, ?, ?)",
                [(run_id, s.key, s.sdk_id, s.name) for s in run.sdks],
            )
            conn.executemany(
                "INSERT INTO run_permissions (run_id, name, protection_level) VALUES (?, ?, ?)",
                [(run_id, p.name, p.protection_level) for p in run.permissions],
            )
            conn.executemany(
                "INSERT INTO run_identifiers (run_id, sdk_key, identifier) VALUES (?, ?, ?)",
                [(run_id, i.sdk_key, i.identifier) for i in run.identifiers],
            )
        return run_id

    # -- reading -----------------------------------------------------------------

    def _rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        cursor = self._execute(sql, params)
        names = [d[0] for d in cursor.description]
        try:
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: history store unreadable ({one_line(exc)})") from None

    def _json(self, text: Any, what: str) -> Any:
        """A JSON column's value; a damaged one is a one-line InputError naming the row."""
        try:
            return json.loads(text)
        except (TypeError, ValueError, RecursionError):
            raise InputError(f"{self.path}: damaged history row ({what} is not valid JSON)") from None

    def packages(self) -> list[dict[str, Any]]:
        """Every package with its number of runs and the time it was last seen."""
        return self._rows(
            "SELECT package, COUNT(*) AS runs, MAX(started_at) AS last_seen FROM runs WHERE package IS NOT NULL"
            " GROUP BY package ORDER BY package"
        )

    def runs(self, package: str) -> list[dict[str, Any]]:
        """All runs of a package, oldest first (without their rows)."""
        rows = self._rows("SELECT * FROM runs WHERE package = ? ORDER BY started_at, id", (package,))
        for row in rows:
            row["evidence"] = self._json(row["evidence"], f"run {row.get('id')} evidence")
        return rows

    def run_ids(self) -> list[int]:
        return [r["id"] for r in self._rows("SELECT id FROM runs ORDER BY id")]

    def run_detail(self, run_id: int) -> dict[str, Any] | None:
        """One run with its findings, SDKs, permissions and identifier readers."""
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return None
        run = rows[0]
        run["evidence"] = self._json(run["evidence"], f"run {run_id} evidence")
        stored = self._rows("SELECT data FROM findings WHERE run_id = ? ORDER BY finding_id", (run_id,))
        run["findings"] = [self._finding(r["data"], run_id) for r in stored]
        run["sdks"] = self._rows("SELECT sdk_key, sdk_id, name FROM run_sdks WHERE run_id = ? ORDER BY sdk_key", (run_id,))
        run["permissions"] = self._rows(
            "SELECT name, protection_level FROM run_permissions WHERE run_id = ? ORDER BY name", (run_id,)
        )
        run["identifiers"] = self._rows(
            "SELECT sdk_key, identifier FROM run_identifiers WHERE run_id = ? ORDER BY sdk_key, identifier", (run_id,)
        )
        return run

    def is_complete(self, run_id: int) -> bool:
        """True when every row the run declared (its counts) is present."""
        run = self.run_detail(run_id)
        if run is None:
            return False
        return (len(run["findings"]), len(run["sdks"]), len(run["permissions"]), len(run["identifiers"])) == (
            run["n_findings"], run["n_sdks"], run["n_permissions"], run["n_identifiers"],
        )  # fmt: skip

    def _finding(self, data: Any, run_id: int) -> dict[str, Any]:
        """A stored finding, checked against the Finding model: a damaged one is a one-line InputError."""
        value = self._json(data, f"a finding of run {run_id}")
        try:
            Finding.model_validate(value)
        except ValidationError as exc:
            raise InputError(f"{self.path}: damaged history row (a finding of run {run_id}: {validation_summary(exc)})") from None
        return value

    def integrity_check(self) -> str:
        """PRAGMA integrity_check: 'ok' when the file is sound."""
        return "\n".join(str(r[0]) for r in self._execute("PRAGMA integrity_check"))


@contextmanager
def history_damage(path: str | Path) -> Iterator[None]:
    """Turn what a damaged row makes the history readers raise (bad JSON, types, model validation) into one InputError line."""
    try:
        yield
    except ValidationError as exc:
        raise InputError(f"{path}: damaged history row ({validation_summary(exc)})") from None
    except (sqlite3.DatabaseError, ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise InputError(f"{path}: damaged history store ({type(exc).__name__}: {one_line(exc, 160)})") from None


def _squash(sql: object) -> str:
    return " ".join(str(sql or "").split())


@cache
def _expected_schema(version: int) -> dict[tuple[str, str], tuple[str, str]]:
    """(type, name) -> (table, SQL) of every object the first `version` migrations create, as SQLite records them."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for script in MIGRATIONS[:version]:
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
        return {
            (str(kind), str(name)): (str(table), _squash(sql))
            for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
            if not str(name).startswith("sqlite_autoindex_")
        }
    finally:
        conn.close()

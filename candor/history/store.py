"""The SQLite history store: WAL, one transaction per run, versioned schema, safe for concurrent writers."""

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from candor.errors import InputError
from candor.history.migrations import LATEST_VERSION, MIGRATIONS
from candor.history.records import RunRecord

BUSY_TIMEOUT_MS = 60_000


class HistoryStore:
    """A history database. Readers never block writers (WAL); writers serialise on BEGIN IMMEDIATE."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise InputError(f"no history store at {self.path} (record runs with `candor report` or `candor apk batch`)")
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a directory, expected a history store file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open history store {self.path}: {exc}") from None
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise InputError(f"{self.path}: not a Candor history store ({exc})") from None

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
            return
        with self.transaction():
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
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

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
            row["evidence"] = json.loads(row["evidence"])
        return rows

    def run_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM runs ORDER BY id")]

    def run_detail(self, run_id: int) -> dict[str, Any] | None:
        """One run with its findings, SDKs, permissions and identifier readers."""
        rows = self._rows("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return None
        run = rows[0]
        run["evidence"] = json.loads(run["evidence"])
        run["findings"] = [
            json.loads(r["data"]) for r in self._rows("SELECT data FROM findings WHERE run_id = ? ORDER BY finding_id", (run_id,))
        ]
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

    def integrity_check(self) -> str:
        """PRAGMA integrity_check: 'ok' when the file is sound."""
        return "\n".join(str(r[0]) for r in self.conn.execute("PRAGMA integrity_check"))

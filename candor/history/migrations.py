"""The history schema as an ordered list of migrations; version N = the first N applied."""

# Never edit a released migration: append a new one. Each runs inside the writer's transaction.
MIGRATIONS: tuple[str, ...] = (
    # 1: runs with their findings, SDKs and permissions.
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('report', 'batch')),
        package TEXT,
        version_name TEXT,
        version_code TEXT,
        apk_sha256 TEXT,
        started_at TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '{}',
        tool_version TEXT NOT NULL,
        n_findings INTEGER NOT NULL DEFAULT 0,
        n_sdks INTEGER NOT NULL DEFAULT 0,
        n_permissions INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX runs_package ON runs (package);
    CREATE TABLE findings (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        finding_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        sdk_id TEXT,
        identifier TEXT,
        permission TEXT,
        title TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (run_id, finding_id)
    );
    CREATE TABLE run_sdks (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        sdk_key TEXT NOT NULL,
        sdk_id TEXT,
        name TEXT NOT NULL,
        PRIMARY KEY (run_id, sdk_key)
    );
    CREATE TABLE run_permissions (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        protection_level TEXT,
        PRIMARY KEY (run_id, name)
    );
    """,
    # 2: which SDK (or the app) reads which identifier, per run; release lookups by package and time.
    """
    CREATE TABLE run_identifiers (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        sdk_key TEXT NOT NULL,
        identifier TEXT NOT NULL,
        PRIMARY KEY (run_id, sdk_key, identifier)
    );
    ALTER TABLE runs ADD COLUMN n_identifiers INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX runs_package_time ON runs (package, started_at);
    """,
)

LATEST_VERSION = len(MIGRATIONS)

"""The database half of a backup: one consistent copy out, the same copy back in.

SQLite goes through its online backup API (``sqlite3.Connection.backup``): a page-by-page
copy that is consistent even while the site writes. PostgreSQL goes through ``pg_dump
--format=custom`` and ``pg_restore``, with the connection settings of Django's
``DATABASES`` passed in the environment and the password in a temporary ``PGPASSFILE``
(never on a command line, where ``ps`` shows it). The row counts of the manifest are read
from the very snapshot that is dumped (SQLite: the copy; PostgreSQL: ``pg_export_snapshot``
shared with ``pg_dump --snapshot``), so a restore can check it got exactly those rows.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.db import connections
from django.utils.translation import gettext as _

from tcri_site.backups.errors import DatabaseToolFailed, TargetNotEmpty

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


def connection(alias: str = "default"):
    return connections[alias]


def vendor(alias: str = "default") -> str:
    return connection(alias).vendor


def tables_of_models() -> dict[str, str]:
    """``{db_table: model label}`` for every concrete table Django manages (M2M included)."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables.setdefault(meta.db_table, meta.label)
    return tables


def count_rows(cursor, existing_tables) -> dict[str, int]:
    """Rows per model label, for the tables present (a model whose migration is not applied
    has no table and is left out)."""
    counts = {}
    existing = set(existing_tables)
    for table, label in sorted(tables_of_models().items()):
        if table in existing:
            cursor.execute('SELECT COUNT(*) FROM "%s"' % table.replace('"', '""'))
            counts[label] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, existing_tables) -> dict[str, list[str]]:
    if "django_migrations" not in set(existing_tables):
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    state: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        state.setdefault(app, []).append(name)
    return state


def table_names(alias: str = "default") -> list[str]:
    conn = connection(alias)
    with conn.cursor() as cursor:
        return conn.introspection.table_names(cursor)


def check_database_empty(alias: str = "default") -> None:
    tables = table_names(alias)
    if tables:
        raise TargetNotEmpty(
            _(
                "La base de données « %(name)s » contient déjà %(count)d tables : restaurez dans une "
                "base vide (nouvelle installation, sans « migrate ») ou ajoutez --force pour la remplacer."
            )
            % {"name": connection(alias).settings_dict["NAME"], "count": len(tables)}
        )


# --- SQLite ---------------------------------------------------------------------------

def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def dump_sqlite(target: Path, alias: str = "default") -> dict:
    """Copy the live database into ``target`` with the online backup API; returns the
    manifest's database part (counts and migrations read from the copy)."""
    conn = connection(alias)
    conn.ensure_connection()
    destination = sqlite3.connect(str(target))
    try:
        conn.connection.backup(destination)
        # One self-contained file: no -wal beside it once it is in the archive.
        destination.execute("PRAGMA journal_mode=DELETE")
        cursor = destination.cursor()
        tables = _sqlite_tables(destination)
        info = {
            "counts": count_rows(cursor, tables),
            "migrations": applied_migrations(cursor, tables),
            "server_version": sqlite3.sqlite_version,
        }
    finally:
        destination.close()
    return info


def restore_sqlite(source: Path, alias: str = "default") -> None:
    """Replace the whole target database (file named in DATABASES) by the backup's copy."""
    conn = connection(alias)
    conn.close()
    name = conn.settings_dict["NAME"]
    if str(name) != ":memory:" and "mode=memory" not in str(name):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
    backup = sqlite3.connect(str(source))
    try:
        target = sqlite3.connect(str(name), uri=str(name).startswith("file:"))
        try:
            backup.backup(target)
        finally:
            target.close()
    finally:
        backup.close()
    conn.close()


# --- PostgreSQL -----------------------------------------------------------------------

def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.(\d+))?", version_text)
    if not match:
        raise DatabaseToolFailed(_("Version illisible : %(text)s") % {"text": version_text})
    return int(match.group(1))


def tool_version(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise DatabaseToolFailed(
            _("Le programme %(tool)s est introuvable : installez le client PostgreSQL (paquet Debian postgresql-client) de la version du serveur.")
            % {"tool": tool}
        )
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def server_version(alias: str = "default") -> str:
    conn = connection(alias)
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def check_tool_matches(tool: str, server: str) -> str:
    """pg_dump and pg_restore read servers and archives of their own major version or
    older, never newer: refuse a client older than the server with what to install."""
    version = tool_version(tool)
    if _major(version) < _major(server):
        raise DatabaseToolFailed(
            _("%(tool)s est trop ancien (%(version)s) pour le serveur PostgreSQL %(server)s : installez le client de la même version majeure.")
            % {"tool": tool, "version": version, "server": server}
        )
    return version


@contextmanager
def _pg_environment(alias: str = "default"):
    """The libpq environment for the database of ``alias``; the password in a temporary
    0600 password file."""
    settings_dict = connection(alias).settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    options = settings_dict.get("OPTIONS") or {}
    mapping = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
    }
    env.update({key: str(value) for key, value in mapping.items() if value})
    password = settings_dict.get("PASSWORD") or ""
    with tempfile.TemporaryDirectory(prefix="tcri-pg-") as tmp:
        if password:
            passfile = Path(tmp) / "pgpass"
            escaped = password.replace("\\", "\\\\").replace(":", "\\:")
            passfile.write_text(f"*:*:*:*:{escaped}\n")
            passfile.chmod(0o600)
            env["PGPASSFILE"] = str(passfile)
        yield env


def _run(command: list[str], env: dict, tool: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DatabaseToolFailed(
            _("%(tool)s a échoué (code %(code)d) : %(error)s")
            % {"tool": tool, "code": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


def dump_postgres(target: Path, alias: str = "default") -> dict:
    """``pg_dump --format=custom`` of one snapshot, whose rows are counted in the same
    snapshot (a REPEATABLE READ transaction that exports it)."""
    conn = connection(alias)
    server = server_version(alias)
    dump_version = check_tool_matches("pg_dump", server)
    raw = conn.get_new_connection(conn.get_connection_params())
    try:
        raw.autocommit = False
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in cursor.fetchall()]
        with _pg_environment(alias) as env:
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={target}"],
                env, "pg_dump",
            )
        info = {
            "counts": count_rows(cursor, tables),
            "migrations": applied_migrations(cursor, tables),
            "server_version": server,
            "pg_dump_version": dump_version,
        }
        raw.rollback()
    finally:
        raw.close()
    return info


def restore_postgres(source: Path, *, force: bool, alias: str = "default") -> None:
    conn = connection(alias)
    check_tool_matches("pg_restore", server_version(alias))
    if force:
        # Everything the site made lives in its schema: drop it whole, so nothing of the
        # old install (a table from a newer migration) survives next to the restored rows.
        with conn.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    conn.close()
    with _pg_environment(alias) as env:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             f"--dbname={conn.settings_dict['NAME']}", str(source)],
            env, "pg_restore",
        )


def dump(target_dir: Path, alias: str = "default") -> tuple[str, dict]:
    """Write the database into ``target_dir``; returns (file name, manifest part)."""
    if vendor(alias) == "sqlite":
        return SQLITE_FILE, dump_sqlite(target_dir / SQLITE_FILE, alias)
    if vendor(alias) == "postgresql":
        return POSTGRES_FILE, dump_postgres(target_dir / POSTGRES_FILE, alias)
    raise DatabaseToolFailed(_("Base de données non prise en charge : %(vendor)s") % {"vendor": vendor(alias)})


def current_counts(alias: str = "default") -> dict[str, int]:
    conn = connection(alias)
    with conn.cursor() as cursor:
        return count_rows(cursor, conn.introspection.table_names(cursor))

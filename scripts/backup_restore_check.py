"""Back up the database, restore the backup into a fresh database, and compare the row counts of every table.

    python -m scripts.backup_restore_check                          # the database of DATABASE_URL (or ./data)
    python -m scripts.backup_restore_check --database-url URL --keep backups/
    python -m scripts.backup_restore_check --demo sqlite            # a throwaway database filled by the engine
    python -m scripts.backup_restore_check --demo postgresql        # the same on the PostgreSQL of --server

SQLite is copied with SQLite's online backup API (safe while the service runs; the same as `sqlite3 DB ".backup
FILE"`) and checked with PRAGMA integrity_check. PostgreSQL is dumped with `pg_dump --format=custom` and restored
with `pg_restore` into a new database. Exit status 0 when every table has the same number of rows.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from assistant.messages import Incoming, Start, Text
from assistant.store.db import make_engine

DEFAULT_SERVER = "postgresql+psycopg://postgres@localhost/postgres"


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            return {name: connection.scalar(select(func.count()).select_from(table(name))) for name in names}
    finally:
        engine.dispose()


def _libpq(url: URL) -> str:
    """The URL as pg_dump and psql take it (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def backup_sqlite(url: URL, target: Path) -> None:
    with sqlite3.connect(url.database) as source, sqlite3.connect(target) as copy:
        source.backup(copy)  # page by page, consistent even while the service writes
    copy.close()


def restore_sqlite(backup: Path, folder: Path) -> str:
    """Restoring a SQLite backup is putting the file in place; here, a fresh copy in a folder of its own."""
    restored = folder / "restored.db"
    shutil.copyfile(backup, restored)
    with sqlite3.connect(restored) as check:
        result = check.execute("PRAGMA integrity_check").fetchone()[0]
    check.close()
    if result != "ok":
        raise RuntimeError(f"the restored database fails its integrity check: {result}")
    return f"sqlite:///{restored}"


def backup_postgres(url: URL, target: Path) -> None:
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(url)], check=True)


@contextmanager
def restored_postgres(url: URL, backup: Path) -> Iterator[str]:
    """A new database on the same server, filled from the dump; dropped afterwards."""
    fresh = url.set(database=f"restore_check_{uuid.uuid4().hex[:10]}")
    admin = _libpq(url.set(database="postgres"))
    subprocess.run(["psql", "-q", "-c", f'CREATE DATABASE "{fresh.database}"', admin], check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(fresh)}", str(backup)],
                       check=True)
        yield fresh.render_as_string(hide_password=False)
    finally:
        subprocess.run(["psql", "-q", "-c", f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)', admin],
                       check=True)


def check(url_text: str, folder: Path) -> bool:
    url = make_url(url_text)
    before = row_counts(url_text)
    if url.get_backend_name() == "sqlite":
        backup = folder / "citizen-help.backup.db"
        backup_sqlite(url, backup)
        after = row_counts(restore_sqlite(backup, folder))
    else:
        backup = folder / "citizen-help.dump"
        backup_postgres(url, backup)
        with restored_postgres(url, backup) as restored:
            after = row_counts(restored)
    print(f"backup: {backup.name}, {backup.stat().st_size / 1024:.0f} KiB, from {url.render_as_string()}")
    print(f"{'table':<24}{'original':>10}{'restored':>10}")
    for name in sorted(before.keys() | after.keys()):
        print(f"{name:<24}{before.get(name, '-'):>10}{after.get(name, '-'):>10}")
    same = before == after
    print("restore matches: every table has the same rows" if same else "MISMATCH between original and restore")
    return same


@contextmanager
def demo_database(kind: str, server: str, folder: Path) -> Iterator[str]:
    """A new database with the schema and some days' worth of traffic, made through the engine itself."""
    from bench.servers import fresh_postgres

    if kind == "sqlite":
        url = f"sqlite:///{folder / 'demo.db'}"
        _fill(url, folder)
        yield url
    else:
        with fresh_postgres(server) as url:
            _fill(url, folder)
            yield url


def _fill(url: str, folder: Path) -> None:
    from assistant import auth, migrate
    from assistant.runtime import build
    from assistant.settings import Settings
    from assistant.store import officers as officer_store
    from knowledge.matcher import load_or_train

    migrate.upgrade(url)
    settings = Settings(_env_file=None, data_dir=folder, database_url=url)  # type: ignore[call-arg]
    runtime = build(settings, load_or_train(Settings().effective_model_dir))
    with runtime.sessions() as session:
        officer_store.create(session, username="wangfang", name="王芳", role="officer",
                             password_hash=auth.hash_password("a demo password"), on_duty=True)
        session.commit()
    for n in range(40):
        with runtime.sessions() as session:
            conversation = runtime.assistant.handle(session, Incoming("web", f"demo-{n}", Start())).conversation
            for text in ("身份证丢了咋补", "要带啥", "找人工" if n % 3 == 0 else "谢谢"):
                runtime.assistant.handle(session, Incoming("web", f"demo-{n}", Text(text),
                                                           conversation_id=conversation.id))
    runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: the service's own (DATABASE_URL, or the SQLite file)")
    parser.add_argument("--demo", choices=["sqlite", "postgresql"], help="check a throwaway database instead")
    parser.add_argument("--server", default=DEFAULT_SERVER, help="the PostgreSQL server for --demo postgresql")
    parser.add_argument("--keep", type=Path, help="also keep the backup file in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="backup-check-") as scratch:
        folder = Path(scratch)
        if args.demo:
            with demo_database(args.demo, args.server, folder) as url:
                ok = check(url, folder)
        else:
            from assistant.settings import get_settings

            ok = check(args.database_url or get_settings().effective_database_url, folder)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for backup in folder.glob("citizen-help.*"):
                shutil.copy2(backup, args.keep / backup.name)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

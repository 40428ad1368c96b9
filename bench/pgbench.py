"""pgbench running a command's SQL shape: read one stream by primary key, insert one row.

The table mirrors the library's PostgreSQL events table (primary key on
originator id and version, a bigserial notification id with a unique index);
the `lock` variant adds the library's `LOCK TABLE ... IN EXCLUSIVE MODE`
(and its `SET LOCAL lock_timeout`) before the insert.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.model import PgbenchPoint
from bench.pg import BenchDatabase

SCHEMA = "c_pgbench"
# pgbench reads `:word` as a variable even inside quotes: topics without the colon, same length.
TABLE = f"{SCHEMA}.stored_events"
STATE = "\\x" + secrets.token_hex(500)  # A BookingRequested row's state is about 500 bytes.

_TPS = re.compile(r"^tps = ([\d.]+) \(without initial connection time\)", re.MULTILINE)
_LATENCY = re.compile(r"^latency average = ([\d.]+) ms", re.MULTILINE)
_FAILED = re.compile(r"^number of failed transactions: (\d+)", re.MULTILINE)


def prepare(database: BenchDatabase, streams: int) -> None:
    """`streams` streams of one event each, like freshly registered pets."""
    with database.connect() as connection:
        connection.execute(f"CREATE SCHEMA {SCHEMA}")
        connection.execute(
            f"CREATE TABLE {TABLE} (originator_id uuid NOT NULL, originator_version bigint"
            " NOT NULL, topic text, state bytea, notification_id bigserial,"
            " PRIMARY KEY (originator_id, originator_version))"
        )
        connection.execute(f"CREATE UNIQUE INDEX ON {TABLE} (notification_id ASC)")
        connection.execute(
            f"INSERT INTO {TABLE} (originator_id, originator_version, topic, state)"
            " SELECT md5(g::text)::uuid, 1, 'domain.pet.Pet.Registered', %s::bytea"
            " FROM generate_series(1, %s) AS g",
            (STATE, streams),
        )
        connection.execute(f"VACUUM ANALYZE {TABLE}")


def write_script(workdir: Path, streams: int, *, lock: bool) -> Path:
    lines = [
        f"\\set n random(1, {streams})",
        # A fresh version per transaction: the key never collides, as with distinct pets.
        "\\set v random(2, 1000000000000)",
        "BEGIN;",
        # CAST, not `::`: pgbench would read `:text` as a variable.
        f"SELECT * FROM {TABLE} WHERE originator_id = CAST(md5(CAST(:n AS text)) AS uuid);",
    ]
    if lock:
        lines += ["SET LOCAL lock_timeout = '3s';", f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE;"]
    lines += [
        f"INSERT INTO {TABLE} (originator_id, originator_version, topic, state)"
        " VALUES (CAST(md5(CAST(:n AS text)) AS uuid), :v, 'domain.pet.Pet.BookingRequested',"
        f" '{STATE}'::bytea) RETURNING notification_id;",
        "COMMIT;",
    ]
    path = workdir / f"command{'-lock' if lock else ''}.sql"
    path.write_text("\n".join(lines) + "\n")
    return path


def run(
    pgbench: Path,
    database: BenchDatabase,
    script: Path,
    *,
    clients: int,
    seconds: float,
    lock: bool,
) -> PgbenchPoint:
    command = [
        str(pgbench),
        "-n",  # No vacuum of pgbench's own tables: it has none here.
        "-M",
        "prepared",
        "-c",
        str(clients),
        "-j",
        str(min(clients, os.cpu_count() or 1)),
        "-T",
        str(max(1, round(seconds))),
        "-f",
        str(script),
        *database.libpq_args(),
    ]
    env = {**os.environ}
    if password := urlsplit(database.base_url).password:
        env["PGPASSWORD"] = unquote(password)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    tps, latency = _TPS.search(done.stdout), _LATENCY.search(done.stdout)
    if done.returncode != 0 or tps is None or latency is None:
        msg = f"pgbench failed ({done.returncode}): {done.stdout[-1500:]}{done.stderr[-1500:]}"
        raise RuntimeError(msg)
    failed = _FAILED.search(done.stdout)
    return PgbenchPoint(
        clients=clients,
        lock=lock,
        tps=float(tps.group(1)),
        latency_ms=float(latency.group(1)),
        failed=int(failed.group(1)) if failed else 0,
    )

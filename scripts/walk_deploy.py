"""Walk the README and docs/deploy.md step by step on this machine, as an operator would, and report each step.

    sudo .venv/bin/python -m scripts.walk_deploy --yes

It clones the committed tree into a scratch folder, installs it with the README's command, and then does what
deploy.md says: a system user, a production .env, an officer, `serve` on SQLite as that user, the systemd unit
(checked with systemd-analyze), PostgreSQL with an owner and a serving role, `serve --workers 2` with Redis, nginx
with the documented config in front (TLS with a throwaway certificate), and dated backups of both databases with a
restore check. The unit file and the nginx server blocks are read out of deploy.md itself, so the walk checks what
the document says. Everything it creates (user, roles, database, processes, files) is removed afterwards.

It changes the machine (a user, PostgreSQL roles), hence --yes; it needs root, PostgreSQL on localhost (trust
authentication for the `postgres` user, as on a test machine) and Redis; nginx and systemd-analyze are used when
installed, and the step says "skipped" when they are not.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
USER = "citizen-help"  # the name deploy.md's systemd unit runs as
OWNER, SERVING, DATABASE = "citizen_walk", "citizen_walk_app", "citizen_help_walk"
REDIS_URL = "redis://localhost:6379/9"


class Skipped(Exception):
    """A step this machine cannot take (a program not installed): reported, not a failure."""


@dataclass
class Walk:
    scratch: Path
    app: Path = field(init=False)
    owner_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    serving_password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    created_user: bool = False
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.app = self.scratch / "citizen-help"

    @property
    def owner_url(self) -> str:
        return f"postgresql+psycopg://{OWNER}:{self.owner_password}@localhost/{DATABASE}"

    @property
    def serving_url(self) -> str:
        return f"postgresql+psycopg://{SERVING}:{self.serving_password}@localhost/{DATABASE}"

    def run(self, *command: str, env: dict[str, str] | None = None, user: str | None = None,
            stdin: str | None = None, timeout: float = 900) -> str:
        """A command in the app folder (as USER when asked), its output; a failure raises with its last lines."""
        argv = ["runuser", "-u", user, "--", *command] if user else list(command)
        done = subprocess.run(argv, cwd=self.app if self.app.exists() else self.scratch, env=os.environ | (env or {}),
                              input=stdin, capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-6:])
            raise RuntimeError(f"`{' '.join(command)}` exited {done.returncode}:\n{tail}")
        return done.stdout + done.stderr

    def start(self, *command: str, env: dict[str, str] | None = None, user: str | None = None,
              ) -> subprocess.Popen[str]:
        argv = ["runuser", "-u", user, "--", *command] if user else list(command)
        process = subprocess.Popen(argv, cwd=self.app, env=os.environ | (env or {}), text=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[str]) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def psql(self, *statements: str) -> None:
        args = [arg for statement in statements for arg in ("-c", statement)]
        self.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-h", "localhost", "-d", "postgres",
                 *args)

    def cli(self, *args: str, env: dict[str, str] | None = None, user: str | None = USER,
            stdin: str | None = None) -> str:
        return self.run(str(self.app / ".venv/bin/citizen-help"), *args, env=env, user=user, stdin=stdin)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(base: str, process: subprocess.Popen[str], *, within: float = 300, verify: bool = True) -> float:
    """Seconds until `base`/ answers 200 (the first start trains the matcher); fails if the server exits first."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if process.poll() is not None:
            said = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"the server exited {process.returncode}: {said}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/", timeout=2, verify=verify).status_code == 200:
                return time.monotonic() - started
        time.sleep(0.5)
    raise RuntimeError(f"{base} did not answer within {within:.0f} s")


def ask(base: str, question: str, *, verify: bool = True) -> str:
    response = httpx.post(f"{base}/api/ask", json={"text": question}, timeout=10, verify=verify)
    response.raise_for_status()
    return str(response.json()["label"])


def doc_block(language: str, containing: str) -> str:
    """The first ```language block of docs/deploy.md that contains `containing`."""
    text = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    for block in re.findall(rf"```{language}\n(.*?)```", text, flags=re.S):
        if containing in block:
            return str(block)
    raise RuntimeError(f"docs/deploy.md has no ```{language} block with {containing!r}")


# The steps, in the order of the README and deploy.md. Each returns what it saw, in a few words.

def clone(walk: Walk) -> str:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    walk.run("git", "clone", "--quiet", str(ROOT), str(walk.app))
    return f"commit {head} into {walk.app}"


def install(walk: Walk) -> str:
    """The README's first command, without its `serve` (started below, as the service's user)."""
    started = time.monotonic()
    # The system's python3, as on a server: a venv of a python under /root (pyenv) cannot run as the service's user.
    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else "python3"
    walk.run("bash", "-c", f'{python} -m venv .venv && .venv/bin/pip install -q -e ".[dev]"')
    return f"{python}, {time.monotonic() - started:.0f} s"


def system_user(walk: Walk) -> str:
    if subprocess.run(["id", USER], capture_output=True).returncode != 0:
        walk.run("useradd", "--system", "--home-dir", str(walk.app), "--shell", "/usr/sbin/nologin", USER)
        walk.created_user = True
    walk.run("chown", "-R", f"{USER}:", str(walk.scratch))
    walk.scratch.chmod(0o755)
    return f"user {USER}" + (" created" if walk.created_user else " (already there)")


def production_env(walk: Walk) -> str:
    """`cp .env.sample .env`, then the settings deploy.md says to set, with values of this walk's own."""
    offices = walk.app / "offices.yaml"
    sample = (walk.app / "knowledge/offices.sample.yaml").read_text(encoding="utf-8")
    # This walk's stand-in for an office's own file: the sample without its 示例 marks, which production refuses.
    offices.write_text("# walk_deploy only: not an office's data\n" + re.sub(r"[（(]?示例[）)]?", "", sample),
                       encoding="utf-8")
    own = {"ENVIRONMENT": "production", "SECRET_KEY": secrets.token_urlsafe(48), "OFFICES_FILE": str(offices),
           "TWILIO_AUTH_TOKEN": secrets.token_hex(16), "TELEGRAM_WEBHOOK_SECRET": secrets.token_urlsafe(24)}
    env = (walk.app / ".env.sample").read_text(encoding="utf-8") + "".join(f"\n{k}={v}" for k, v in own.items()) + "\n"
    (walk.app / ".env").write_text(env, encoding="utf-8")
    walk.run("chown", f"{USER}:", str(offices), str(walk.app / ".env"))
    (walk.app / ".env").chmod(0o600)
    return ".env from .env.sample: production, a secret of its own, an offices file"


def refuses_sample_secret(walk: Walk) -> str:
    """.env.sample's own secret must not start production (issue 21's hole)."""
    env = {"SECRET_KEY": "change-me-to-a-long-random-string"}
    try:
        walk.cli("serve", "--port", str(free_port()), env=env)
    except RuntimeError as exc:
        if "SECRET_KEY" in str(exc):
            return "refused: " + next(line for line in str(exc).splitlines() if "SECRET_KEY" in line)[:100]
        raise
    raise RuntimeError("production started with .env.sample's SECRET_KEY")


def officer(walk: Walk) -> str:
    out = walk.cli("officer", "add", "wangfang", "--role", "admin", "--name", "王芳",
                   stdin=secrets.token_urlsafe(16) + "\n")
    return out.strip().splitlines()[-1] if out.strip() else "added"


def serve_sqlite(walk: Walk) -> str:
    port = free_port()
    server = walk.start(str(walk.app / ".venv/bin/citizen-help"), "serve", "--host", "127.0.0.1", "--port",
                        str(port), user=USER)
    base = f"http://127.0.0.1:{port}"
    try:
        seconds = wait_until_serving(base, server)
        label = ask(base, "身份证丢了怎么补办")
        staff = httpx.get(f"{base}/api/officer/cases", timeout=5).status_code
    finally:
        walk.stop(server)
    if label != "id-card-lost" or staff != 401:
        raise RuntimeError(f"answered {label!r}, staff list without login gave {staff}")
    return f"first start answered after {seconds:.1f} s (training included); /api/ask → {label}; staff API → 401"


def second_start(walk: Walk) -> str:
    port = free_port()
    server = walk.start(str(walk.app / ".venv/bin/citizen-help"), "serve", "--port", str(port), user=USER)
    try:
        seconds = wait_until_serving(f"http://127.0.0.1:{port}", server)
    finally:
        walk.stop(server)
    return f"with the model cached: {seconds:.1f} s to the first page"


def sqlite_backup(walk: Walk) -> str:
    backups = walk.scratch / "backups"
    backups.mkdir()
    command = doc_block("bash", "sqlite3 data/citizen-help.db").strip()
    walk.run("bash", "-c", command.replace("/var/backups/citizen-help", str(backups)))
    [backup] = backups.glob("citizen-help-*.db")
    check = walk.run("sqlite3", str(backup), "PRAGMA integrity_check").strip()
    if not re.fullmatch(r"citizen-help-\d{4}-\d{2}-\d{2}\.db", backup.name) or check != "ok":
        raise RuntimeError(f"{backup.name}: {check}")
    return f"{backup.name} (dated), integrity_check {check}"


def systemd_unit(walk: Walk) -> str:
    if shutil.which("systemd-analyze") is None:
        raise Skipped("systemd-analyze is not installed")
    unit = walk.scratch / "citizen-help.service"
    unit.write_text(doc_block("ini", "ExecStart=").replace("/srv/citizen-help", str(walk.app)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True)
    problems = [line for line in done.stderr.splitlines() if unit.name in line]
    if problems:
        raise RuntimeError("\n".join(problems))
    return "systemd-analyze verify: no complaint about the unit (systemd is not PID 1 here: the unit was not run)"


def postgresql(walk: Walk) -> str:
    """deploy.md's roles and database (with this walk's names and passwords), then the owner migrates and grants."""
    walk.psql(*documented_sql(walk))
    walk.cli("db", "upgrade", env={"DATABASE_URL": walk.owner_url})
    walk.cli("db", "grant", "--serving-role", SERVING, env={"DATABASE_URL": walk.owner_url})
    return f"roles {OWNER} (owner) and {SERVING} (serving), database {DATABASE}, schema upgraded, rights granted"


def documented_sql(walk: Walk) -> list[str]:
    """deploy.md's `psql -c` statements, with this walk's role and database names and passwords."""
    names = [("owner-secret", walk.owner_password), ("app-secret", walk.serving_password),
             (r"\bcitizen_help\b", DATABASE), (r"\bcitizen_app\b", SERVING), (r"\bcitizen\b", OWNER)]
    statements = re.findall(r'-c "([^"]+)"', doc_block("bash", "CREATE ROLE"))
    for pattern, value in names:
        statements = [re.sub(pattern, value, statement) for statement in statements]
    return statements


def serve_workers(walk: Walk) -> str:
    """Two workers on PostgreSQL and Redis as the serving role, with nginx in front when it is installed."""
    port = free_port()
    env = {"DATABASE_URL": walk.serving_url, "REDIS_URL": REDIS_URL}
    server = walk.start(str(walk.app / ".venv/bin/citizen-help"), "serve", "--host", "127.0.0.1", "--port",
                        str(port), "--workers", "2", env=env, user=USER)
    try:
        seconds = wait_until_serving(f"http://127.0.0.1:{port}", server)
        label = ask(f"http://127.0.0.1:{port}", "想办老年人乘车优待卡")
        through = behind_nginx(walk, port)
    finally:
        walk.stop(server)
    return f"2 workers answered after {seconds:.1f} s; /api/ask → {label}; {through}"


def behind_nginx(walk: Walk, upstream: int) -> str:
    if shutil.which("nginx") is None:
        return "nginx skipped (not installed)"
    folder = walk.scratch / "nginx"
    folder.mkdir(exist_ok=True)
    cert, key = folder / "cert.pem", folder / "key.pem"
    walk.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
             "-keyout", str(key), "-out", str(cert))
    https, http = free_port(), free_port()
    servers = (doc_block("nginx", "upstream citizen_help")
               .replace("127.0.0.1:8000", f"127.0.0.1:{upstream}")
               .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl;")
               .replace("listen 80;", f"listen 127.0.0.1:{http};")
               .replace("/etc/letsencrypt/live/help.example.gov.cn/fullchain.pem", str(cert))
               .replace("/etc/letsencrypt/live/help.example.gov.cn/privkey.pem", str(key)))
    conf = folder / "nginx.conf"
    conf.write_text(f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
                    f"http {{\naccess_log {folder}/access.log;\n{servers}\n}}\n", encoding="utf-8")
    walk.run("nginx", "-t", "-c", str(conf))
    walk.run("nginx", "-c", str(conf))
    try:
        return through_nginx(https, http)
    finally:
        walk.run("nginx", "-c", str(conf), "-s", "stop")


def through_nginx(https: int, http: int) -> str:
    base = f"https://127.0.0.1:{https}"
    label = ask(base, "身份证丢了怎么补办", verify=False)
    redirect = httpx.get(f"http://127.0.0.1:{http}/", timeout=5).status_code
    conversation = httpx.post(f"{base}/api/conversations", json={}, timeout=10, verify=False).json()
    started = time.monotonic()
    with httpx.stream("GET", f"{base}/api/conversations/{conversation['id']}/events", timeout=10,
                      verify=False) as stream:
        first = next(stream.iter_lines())
    waited = time.monotonic() - started
    if label != "id-card-lost" or redirect != 301 or "connected" not in first:
        raise RuntimeError(f"via nginx: ask {label!r}, http {redirect}, stream began {first!r}")
    return (f"nginx (deploy.md's config, TLS): /api/ask → {label}, port 80 → 301, the event stream's first line "
            f"after {waited * 1000:.0f} ms (unbuffered)")


def postgresql_backup(walk: Walk) -> str:
    backups = walk.scratch / "backups"
    backups.mkdir(exist_ok=True)
    command = doc_block("bash", "pg_dump").strip().replace("/var/backups/citizen-help", str(backups))
    owner = f"postgresql://{OWNER}:{walk.owner_password}@localhost/{DATABASE}"
    walk.run("bash", "-c", command.replace("postgresql://citizen@localhost/citizen_help", owner))
    [dump] = backups.glob("citizen-help-*.dump")
    check = walk.run(str(walk.app / ".venv/bin/python"), "-m", "scripts.backup_restore_check", "--database-url",
                     walk.owner_url)
    if not re.fullmatch(r"citizen-help-\d{4}-\d{2}-\d{2}\.dump", dump.name):
        raise RuntimeError(f"undated backup {dump.name}")
    return f"{dump.name} (dated); restore check: {check.strip().splitlines()[-1]}"


STEPS: list[tuple[str, Callable[[Walk], str]]] = [
    ("clone the committed tree", clone),
    ("README: install", install),
    ("deploy.md: a system user", system_user),
    ("deploy.md: .env for production", production_env),
    ("production refuses .env.sample's secret", refuses_sample_secret),
    ("deploy.md: officer add", officer),
    ("deploy.md: serve on SQLite, as the user", serve_sqlite),
    ("a second start, model cached", second_start),
    ("deploy.md: SQLite backup, dated", sqlite_backup),
    ("deploy.md: the systemd unit", systemd_unit),
    ("deploy.md: PostgreSQL roles, upgrade, grant", postgresql),
    ("deploy.md: 2 workers, Redis, nginx", serve_workers),
    ("deploy.md: PostgreSQL backup, dated, restored", postgresql_backup),
]


def clean_up(walk: Walk) -> None:
    for process in walk.processes:
        if process.poll() is None:
            walk.stop(process)
    with contextlib.suppress(RuntimeError):
        walk.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"DROP ROLE IF EXISTS {SERVING}",
                  f"DROP ROLE IF EXISTS {OWNER}")
    if walk.created_user:
        subprocess.run(["userdel", USER], capture_output=True)


@contextlib.contextmanager
def scratch_folder(keep: bool) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="walk-deploy-"))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--yes", action="store_true", help="yes, change this machine (a user, roles), then undo it")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder to look at")
    args = parser.parse_args()
    if not args.yes or os.geteuid() != 0:
        parser.error("run as root with --yes: the walk adds a system user and PostgreSQL roles (and removes them)")
    failed = 0
    with scratch_folder(args.keep) as folder:
        walk = Walk(folder)
        try:
            for number, (name, step) in enumerate(STEPS, 1):
                failed += report(number, name, step, walk)
                if failed and number <= 4:  # nothing later can work without the install, user and .env
                    break
        finally:
            clean_up(walk)
    print(f"\n{len(STEPS)} steps, {failed} failed" + (f"; kept {folder}" if args.keep else ""))
    return 1 if failed else 0


def report(number: int, name: str, step: Callable[[Walk], str], walk: Walk) -> int:
    started = time.monotonic()
    try:
        detail = step(walk)
    except Skipped as why:
        print(f"{number:2}. skipped  {name}: {why}", flush=True)
        return 0
    except Exception as exc:  # a failed step is reported and the walk goes on: the report shows all that broke
        print(f"{number:2}. FAILED   {name} ({time.monotonic() - started:.1f} s):\n      {exc}", flush=True)
        return 1
    print(f"{number:2}. ok       {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Run or test the ``customer_care`` add-on on a PostgreSQL of its own.

    python3 tools/care.py run [--reset] [--port 8069] [--workers N]
    python3 tools/care.py test [--quick] [-- PYTEST ARGS]
    python3 tools/care.py bench [--customers N] [SCRIPT [SCRIPT ARGS]]
    python3 tools/care.py bench --smoke [SCRIPT [SCRIPT ARGS]]
    python3 tools/care.py wheel-check
    python3 tools/care.py upgrade-test [--release COMMIT] [--keep]

Both commands use the Odoo 18.0 that ``python3`` imports, start a private
PostgreSQL cluster (as the ``postgres`` user when run as root, because
PostgreSQL refuses to run as root) and link this checkout into an addons
folder under the name ``customer_care``, whatever the checkout's folder is
called.

``run`` keeps its cluster and database in the state folder and reuses them;
``--reset`` starts from scratch; ``--workers N`` serves in Odoo's prefork mode
(N HTTP workers, one cron worker, the websocket on a gevent port) instead of
the threaded server. ``test`` makes a throw-away cluster, installs
the add-on with demo data while Odoo's own runner runs the suite
(``--test-enable``, as the OCA's CI does), fails on any error in that log,
then runs the suite again through pytest-odoo, and ends with the line
``N passed, N failed``. ``bench`` makes a throw-away cluster too, installs the
add-on without demo data and runs a benchmark script of ``benchmarks/``
(``bench_callback_generation`` by default), which prints its figures;
``bench --smoke`` runs every script at a tiny size, each on a copy of the one
database installed, and fails when one of them fails (CI runs it).
``wheel-check`` builds the wheel from a clone of HEAD in a folder of another
name, installs it into a folder of its own and checks that Odoo finds the
module there as ``customer_care`` (CI runs it).
``upgrade-test`` makes a throw-away cluster, installs release 18.0.1.0.0
(its commit, from this repository's history) with demo data, adds records
through that release's ORM (``tools/upgrade/seed.py``, which keeps a
snapshot of them), upgrades to this checkout, fails on any error in that
log or on a migration script that did not run, checks every record of the
snapshot against its migrated values (``tools/upgrade/check.py``) and runs
a few quick test classes of the suite on the upgraded database (CI runs it).
"""

import argparse
import contextlib
import glob
import importlib.util
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULE = "customer_care"
REPO = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("CARE_STATE_DIR", "/var/tmp/customer_care"))
PG_USER = "odoo"  # Odoo refuses to connect as "postgres"
LANGS = "zh_CN"
DEMO_LOGINS = [
    ("admin", "admin", "Administrator / General Manager rights"),
    ("wangfang", "wangfang", "王芳 Callback Agent"),
    ("liqiang", "liqiang", "李强 Callback Manager"),
    ("zhangwei", "zhangwei", "张伟 Complaint Officer"),
    ("liuyang", "liuyang", "刘洋 Complaint Manager"),
    ("chenjing", "chenjing", "陈静 Credit Approver (华东 regional manager)"),
    ("yanglei", "yanglei", "杨磊 Credit Manager"),
    ("zhouting", "zhouting", "周婷 Salesperson (华东, chenjing's branch)"),
    ("zhaomin", "zhaomin", "赵敏 Pickup Desk"),
    ("sunjianguo", "sunjianguo", "孙建国 General Manager"),
]
PY_PACKAGES = {
    # import name: pip requirement
    "pytest_odoo": "pytest-odoo",
    "openupgradelib": "openupgradelib",
    "freezegun": "freezegun",
    "websocket": "websocket-client",  # Odoo's browser tests drive Chromium with it
}
OCA_ADDONS = {
    # addon: pip requirement, installed with --no-deps (they require "odoo",
    # which no registry here provides)
    "helpdesk_mgmt": "odoo-addon-helpdesk_mgmt>=18.0,<18.1",
}
ODOO_HELP = """\
python3 cannot import Odoo 18.0, which customer_care runs on.
Install Odoo 18.0 Community into this python3 first, the usual way:
  - official nightly:  https://nightly.odoo.com/18.0/nightly/src/
      pip install odoo_18.0.latest.tar.gz   (or the .deb of the same page)
  - or from git:       git clone -b 18.0 --depth 1 https://github.com/odoo/odoo
      pip install -r odoo/requirements.txt && pip install -e odoo
Then check with:  python3 -c "import odoo.release as r; print(r.serie)"  -> 18.0
"""


def say(msg):
    print(f"[care] {msg}", flush=True)


def die(msg, code=2):
    print(f"[care] error: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


# ---------------------------------------------------------------------------
# Prerequisites
# ---------------------------------------------------------------------------


def check_odoo():
    try:
        import odoo.release as release
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        print(ODOO_HELP, file=sys.stderr)
        sys.exit(3)
    if release.serie != "18.0":
        print(
            f"python3 imports Odoo {release.serie}, not 18.0.\n" + ODOO_HELP,
            file=sys.stderr,
        )
        sys.exit(3)
    return release


def pip_install(args):
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", *args]
    say("installing: " + " ".join(args))
    if subprocess.call(cmd) != 0:
        die("pip could not install " + " ".join(args))


def addon_installed(name):
    import odoo.addons

    return any(Path(p, name, "__manifest__.py").is_file() for p in odoo.addons.__path__)


def check_python_packages():
    missing = [
        req for mod, req in PY_PACKAGES.items() if not importlib.util.find_spec(mod)
    ]
    if missing:
        pip_install(missing)
    for addon, req in OCA_ADDONS.items():
        if not addon_installed(addon):
            pip_install(["--no-deps", req])
    importlib.invalidate_caches()


def addons_dir():
    """An addons folder in which this checkout is called ``customer_care``."""
    folder = STATE / "addons"
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / MODULE
    if link.is_symlink() and Path(os.readlink(link)) != REPO:
        link.unlink()
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    return folder


# ---------------------------------------------------------------------------
# PostgreSQL, embedded
# ---------------------------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in a folder of its own, reached by a socket."""

    def __init__(self, folder, fast=False):
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.sock = self.folder / "run"
        self.log = self.folder / "postgresql.log"
        self.port = 5432  # only names the socket file inside our own folder
        self.fast = fast
        self.bindir = self._bindir()
        self.owner = None
        if os.geteuid() == 0:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                die("running as root needs a 'postgres' system user to run PostgreSQL")

    @staticmethod
    def _bindir():
        found = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"),
            key=lambda p: int(re.search(r"/(\d+)/bin", p).group(1)),
        )
        if found:
            return Path(found[-1]).parent
        initdb = shutil.which("initdb")
        if initdb:
            return Path(initdb).parent
        die("PostgreSQL server binaries not found: apt-get install postgresql")

    def _pg(self, *args, check=True, quiet=False):
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.owner:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        out = subprocess.DEVNULL if quiet else None
        res = subprocess.run(
            cmd, stdout=out, stderr=subprocess.STDOUT if quiet else None
        )
        if check and res.returncode:
            die(f"{args[0]} failed (see {self.log})")
        return res.returncode

    def _own(self, path):
        if self.owner:
            os.chown(path, self.owner.pw_uid, self.owner.pw_gid)

    def running(self):
        return (
            self.data.is_dir()
            and self._pg(
                "pg_ctl", "status", "-D", str(self.data), check=False, quiet=True
            )
            == 0
        )

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        # the postgres user must be able to reach its folder
        for parent in [self.folder, *self.folder.parents]:
            if parent == Path("/"):
                break
            if (
                parent.stat().st_uid == os.geteuid()
                and not parent.stat().st_mode & 0o001
            ):
                parent.chmod(parent.stat().st_mode | 0o011)
        self.sock.mkdir(exist_ok=True)
        self._own(self.sock)
        if not (self.data / "PG_VERSION").exists():
            say(f"creating PostgreSQL cluster in {self.data}")
            self.data.mkdir(exist_ok=True)
            self.data.chmod(0o700)
            self._own(self.data)
            self._pg(
                "initdb", "-D", str(self.data), "-U", PG_USER, "-A", "trust",
                "-E", "UTF8", "--no-locale", quiet=True,
            )  # fmt: skip
        if not self.log.exists():
            self.log.touch()
        self._own(self.log)
        if self.running():
            return
        opts = f"-k {self.sock} -p {self.port} -c listen_addresses=''"
        if self.fast:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        say("starting PostgreSQL")
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            opts,
            "-w",
            "start",
            quiet=True,
        )

    def stop(self):
        if self.running():
            say("stopping PostgreSQL")
            self._pg(
                "pg_ctl",
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
                quiet=True,
            )

    def psql(self, sql, db="postgres"):
        cmd = [
            str(self.bindir / "psql"), "-h", str(self.sock), "-p", str(self.port),
            "-U", PG_USER, "-d", db, "-tAc", sql,
        ]  # fmt: skip
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

    def odoo_config(self, path, data_dir, extra=None, addons=None):
        """An Odoo configuration file on this cluster; ``addons`` is the
        addons folder holding ``customer_care`` (default: this checkout's)."""
        lines = [
            "[options]",
            f"db_host = {self.sock}",
            f"db_port = {self.port}",
            f"db_user = {PG_USER}",
            "db_password = False",
            f"addons_path = {addons or addons_dir()}",
            f"data_dir = {data_dir}",
            "list_db = True",
            *(f"{k} = {v}" for k, v in (extra or {}).items()),
        ]
        Path(path).write_text("\n".join(lines) + "\n")
        return path


@contextlib.contextmanager
def throwaway_cluster(prefix, keep=False):
    """A fresh cluster in a folder of its own under STATE, started; stopped
    and removed (unless ``keep``) on the way out. Yields (folder, cluster)."""
    STATE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=STATE))
    cluster = Cluster(work / "pg", fast=True)
    try:
        cluster.start()
        yield work, cluster
    finally:
        cluster.stop()
        if keep:
            say(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_cmd(config, *args):
    return [sys.executable, "-m", "odoo", "-c", str(config), *args]


ODOO_LAUNCHER = """\
#!/usr/bin/env python3
# Odoo's odoo-bin, for the prefork server (written by tools/care.py)
__import__("os").environ["TZ"] = "UTC"
import odoo

if __name__ == "__main__":
    odoo.cli.main()
"""


def odoo_launcher(folder):
    """A script that starts Odoo, as ``odoo-bin`` does. The prefork server
    starts its gevent process as ``python3 <its own script> gevent ...``:
    under ``python3 -m odoo`` that script is ``odoo/__main__.py``, which
    cannot run on its own (a relative import), so workers need a script."""
    path = Path(folder) / "odoo-care"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text() != ODOO_LAUNCHER:
        path.write_text(ODOO_LAUNCHER)
    return path


def gevent_problem(launcher):
    """Why Odoo's websocket process (``launcher gevent``, as the prefork
    server starts it) cannot start in this python3, or None when it can."""
    try:
        res = subprocess.run(
            [sys.executable, str(launcher), "gevent", "--version"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        return "it did not answer within 120 s"
    if res.returncode == 0:
        return None
    lines = (res.stderr or res.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {res.returncode}"


def serve_command(config, db, port, workers=0, gevent_port=None, launcher=None):
    """The command line that serves ``db`` on ``port``: Odoo's threaded
    server, or with ``workers`` its prefork server (that many HTTP workers,
    one cron worker, the websocket on ``gevent_port``) started by
    ``launcher``."""
    args = [
        "-d", db, f"--db-filter=^{db}$", "--http-interface=127.0.0.1",
        f"--http-port={port}", "--log-level=info",
    ]  # fmt: skip
    if not workers:
        return odoo_cmd(config, *args)
    if workers < 0 or not gevent_port or not launcher:
        raise ValueError("prefork needs workers > 0, a gevent port and a launcher")
    return [
        sys.executable, str(launcher), "-c", str(config), *args,
        f"--workers={workers}", "--max-cron-threads=1",
        f"--gevent-port={gevent_port}",
    ]  # fmt: skip


def run_logged(cmd, logfile, echo=True, **popen_kwargs):
    """Run ``cmd``, echo its output (unless not ``echo``) and keep it in
    ``logfile``."""
    with open(logfile, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            **popen_kwargs,
        )
        for line in proc.stdout:
            if echo:
                sys.stdout.write(line)
            log.write(line)
        return proc.wait()


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


GEVENT_HELP = """\
With --workers, Odoo serves the websocket from a gevent process, which cannot
start in this python3:
  {launcher} gevent --version
  -> {problem}
Install Odoo's requirements (pip install -r requirements.txt of Odoo 18.0). A
"'zope.interface' distribution was not found" comes from a setuptools too old
for the zope.interface installed: pip install "setuptools>=70,<76".
Or serve without --workers (threaded)."""


def cmd_run(opts):
    check_odoo()
    check_python_packages()
    launcher = None
    if opts.workers:
        launcher = odoo_launcher(STATE / "bin")
        problem = gevent_problem(launcher)
        if problem:
            die(GEVENT_HELP.format(launcher=launcher, problem=problem))
    cluster = Cluster(STATE / "run-pg")
    db = opts.database
    cluster.start()
    try:
        data_dir = STATE / "run-data"
        config = cluster.odoo_config(STATE / "run-odoo.conf", data_dir)
        exists = (
            cluster.psql(f"SELECT 1 FROM pg_database WHERE datname = '{db}'") == "1"
        )
        if exists and opts.reset:
            say(f"dropping database {db}")
            cluster.psql(f'DROP DATABASE "{db}"')
            shutil.rmtree(data_dir / "filestore" / db, ignore_errors=True)
            exists = False
        step = ["-u", MODULE] if exists else ["-i", MODULE, f"--load-language={LANGS}"]
        say(
            ("updating" if exists else "installing")
            + f" {MODULE} with demo data in database {db}"
        )
        res = subprocess.call(
            odoo_cmd(config, "-d", db, *step, "--stop-after-init", "--log-level=warn")
        )
        if res:
            die(f"installing {MODULE} failed")
        url = f"http://127.0.0.1:{opts.port}/odoo?db={db}"
        print("\n  Customer Care is at " + url + "\n  Demo logins (password = login):")
        for login, _pw, role in DEMO_LOGINS:
            print(f"    {login:<12} {role}")
        if opts.workers:
            gevent_port = free_port()
            print(
                f"  Prefork: {opts.workers} HTTP workers, 1 cron worker, the "
                f"websocket on port {gevent_port}."
            )
            cmd = serve_command(
                config, db, opts.port, opts.workers, gevent_port, launcher
            )
        else:
            cmd = serve_command(config, db, opts.port)
        print("  Stop with Ctrl-C.\n", flush=True)
        proc = subprocess.Popen(cmd)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            return proc.wait()
    finally:
        cluster.stop()


RUNNER_SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
LOG_ERROR = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# warnings that are errors of ours: demo data that did not load, and anything
# Odoo says about this add-on's views, fields, data or code
LOG_WARNING = re.compile(r"^\S+ \S+ \d+ WARNING .*(customer_care|failed to install)")
PYTEST_COUNT = re.compile(r"(\d+) (passed|failed|errors?)")


def log_errors(text):
    """The lines of an Odoo log that fail a run: errors, and warnings
    about this add-on."""
    return [
        line
        for line in text.splitlines()
        if LOG_ERROR.match(line) or LOG_WARNING.match(line)
    ]


def runner_counts(text):
    """(tests, failures) that Odoo's runner reports in a log."""
    tests = failures = 0
    for failed, errs, total in RUNNER_SUMMARY.findall(text):
        failures += int(failed) + int(errs)
        tests += int(total)
    return tests, failures


def install_and_runner(cluster, config, db, log, run_tests):
    """Install with demo data, Odoo's runner running the suite when asked.

    Returns (errors in the log, runner tests, runner failures)."""
    args = [
        "-d",
        db,
        "-i",
        MODULE,
        f"--load-language={LANGS}",
        "--stop-after-init",
        "--log-level=info",
    ]
    if run_tests:
        args += ["--test-enable", f"--test-tags=/{MODULE}"]
    say(
        f"installing {MODULE} with demo data"
        + (" (Odoo's runner runs the tests)" if run_tests else "")
    )
    code = run_logged(odoo_cmd(config, *args), log)
    text = Path(log).read_text(encoding="utf-8", errors="replace")
    errors = log_errors(text)
    tests, failures = runner_counts(text)
    if code:
        errors.append(f"odoo exited with code {code}")
    return errors, tests, failures


def cmd_test(opts):
    check_odoo()
    check_python_packages()
    db = "care_test"
    passed = failed = 0
    with throwaway_cluster("test", opts.keep) as (work, cluster):
        # Odoo's runner serves HTTP for the browser tests: on a port of its own
        config = cluster.odoo_config(
            work / "odoo.conf",
            work / "data",
            {"http_interface": "127.0.0.1", "http_port": free_port()},
        )
        errors, r_tests, r_fail = install_and_runner(
            cluster, config, db, work / "install.log", not opts.quick
        )
        if errors:
            say("the install log has errors:")
            for line in errors[:40]:
                print("  " + line)
            failed += max(1, r_fail)
        elif not opts.quick:
            say(f"Odoo's runner: {r_tests - r_fail} passed, {r_fail} failed")
            if r_tests == 0:
                say("Odoo's runner ran no test")
                failed += 1
        if not errors or opts.keep_going:
            say("running the suite with pytest-odoo")
            cmd = [
                sys.executable, "-m", "pytest", str(addons_dir() / MODULE / "tests"),
                f"--odoo-config={config}", f"--odoo-database={db}", "--odoo-http",
                "--odoo-log-level=warn", "-p", "no:cacheprovider",
                "-o", "console_output_style=classic",
                *opts.pytest_args,
            ]  # fmt: skip
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            out = work / "pytest.log"
            code = run_logged(cmd, out, env=env, cwd=work)
            last = [  # the closing summary, with or without -q
                line
                for line in out.read_text().splitlines()
                if PYTEST_COUNT.search(line) and " in " in line
            ]
            counts = {
                kind.rstrip("s"): int(n)
                for n, kind in PYTEST_COUNT.findall(last[-1] if last else "")
            }
            passed += counts.get("passed", 0)
            failed += counts.get("failed", 0) + counts.get("error", 0)
            if code and not counts.get("failed") and not counts.get("error"):
                failed += 1  # pytest itself failed (collection, usage, no test)
            if passed == 0:
                say("pytest-odoo ran no test")
                failed += 1
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


BENCH_DIR = REPO / "benchmarks"
BENCH_DEFAULT = "bench_callback_generation"
BENCH_CUSTOMERS = 100000


LOCUST_REQUIREMENT = "locust>=2.30,<3"


def locust_path():
    """The ``locust`` command for ``benchmarks/bench_load.py``: on PATH, else
    in a virtual environment of its own under the state folder, made on
    first use. Never in Odoo's Python: Locust pins newer gevent and Werkzeug
    than Odoo 18 runs with."""
    found = os.environ.get("CARE_LOCUST") or shutil.which("locust")
    if found:
        return found
    venv = STATE / "locust-venv"
    command = venv / "bin" / "locust"
    if not command.is_file():
        say(f"installing {LOCUST_REQUIREMENT} into {venv}")
        if subprocess.call(
            [sys.executable, "-m", "venv", str(venv)]
        ) or subprocess.call(
            [str(venv / "bin" / "pip"), "install", "--quiet", LOCUST_REQUIREMENT]
        ):
            die(f"could not install {LOCUST_REQUIREMENT} into {venv}")
    return str(command)


def bench_env(scripts):
    """The environment of the benchmark scripts ``scripts``."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if any(Path(script).stem == "bench_load" for script in scripts):
        env["CARE_LOCUST"] = locust_path()
    return env


def bench_script(name):
    """The benchmark script called ``name``: a path, or a file of benchmarks/."""
    for path in (Path(name), BENCH_DIR / name, BENCH_DIR / f"{name}.py"):
        if path.is_file():
            return path.resolve()
    scripts = sorted(p.stem for p in BENCH_DIR.glob("bench_*.py"))
    die(f"no benchmark script {name!r}; there are: {', '.join(scripts) or 'none'}")


def bench_install(cluster, work, db):
    """Install the add-on without demo data into ``db``."""
    config = cluster.odoo_config(work / "odoo.conf", work / "data")
    say(f"installing {MODULE} without demo data")
    code = run_logged(
        odoo_cmd(
            config, "-d", db, "-i", MODULE, "--without-demo=all",
            "--stop-after-init", "--log-level=warn",
        ),
        work / "install.log",
    )  # fmt: skip
    if code:
        die(f"installing {MODULE} failed (see {work / 'install.log'})")
    return config


def bench_copy(cluster, work, template, db):
    """The database ``db``: a copy of ``template`` and of its filestore."""
    cmd = [
        str(cluster.bindir / "createdb"), "-h", str(cluster.sock),
        "-p", str(cluster.port), "-U", PG_USER, "-T", template, db,
    ]  # fmt: skip
    if subprocess.call(cmd):
        die(f"could not copy the database {template} to {db}")
    filestore = work / "data" / "filestore"
    if (filestore / template).is_dir():
        shutil.copytree(filestore / template, filestore / db)


def bench_command(script, config, db, *args):
    return [
        sys.executable, str(script), "--config", str(config), "--database", db,
        *args,
    ]  # fmt: skip


def cmd_bench(opts):
    """Install without demo data on a throw-away cluster, run a benchmark,
    or with ``--smoke`` every benchmark at its tiny size."""
    check_odoo()
    check_python_packages()
    if opts.smoke:
        return bench_smoke(opts)
    script = bench_script(opts.script or BENCH_DEFAULT)
    customers = opts.customers or BENCH_CUSTOMERS
    db = "care_bench"
    with throwaway_cluster("bench", opts.keep) as (work, cluster):
        config = bench_install(cluster, work, db)
        cmd = bench_command(
            script, config, db, "--customers", str(customers), *opts.script_args
        )
        say(f"running {script.name} with {customers} customers")
        env = bench_env([script])
        code = subprocess.call(cmd, env=env)
    return code


def bench_smoke(opts):
    """Every script of benchmarks/ (or SCRIPT) with ``--smoke``, each on a
    copy of one database where the add-on is installed once. The figures
    are ignored: a script fails the run when it exits with an error."""
    if opts.script:
        scripts = [bench_script(opts.script)]
    else:
        scripts = sorted(BENCH_DIR.glob("bench_*.py"))
    if not scripts:
        die(f"no benchmark script in {BENCH_DIR}")
    sizes = ["--customers", str(opts.customers)] if opts.customers else []
    env = bench_env(scripts)
    failed = []
    with throwaway_cluster("bench", opts.keep) as (work, cluster):
        template = "care_bench"
        config = bench_install(cluster, work, template)
        for script in scripts:
            db = f"care_{script.stem}"
            bench_copy(cluster, work, template, db)
            log = work / f"{script.stem}.log"
            cmd = bench_command(
                script, config, db, "--smoke", *sizes, *opts.script_args
            )
            say(f"smoke run of {script.name} (log: {log})")
            start = time.monotonic()
            with open(log, "w", encoding="utf-8") as out:
                code = subprocess.call(
                    cmd, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            seconds = time.monotonic() - start
            if code:
                failed.append(script.name)
                lines = log.read_text(encoding="utf-8", errors="replace")
                print("\n".join(lines.splitlines()[-60:]), flush=True)
                print(
                    f"bench smoke: {script.name} FAILED (exit {code}, "
                    f"{seconds:.0f} s)",
                    flush=True,
                )
            else:
                print(f"bench smoke: {script.name} ok ({seconds:.0f} s)", flush=True)
    print(
        f"bench smoke: {len(scripts) - len(failed)} ok, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else ""),
        flush=True,
    )
    return 1 if failed else 0


UPGRADE_RELEASE = "8194589"  # the commit of release 18.0.1.0.0
UPGRADE_SCRIPTS = REPO / "tools" / "upgrade"
# quick classes of the suite, run on the upgraded database (post_install:
# Odoo's runner runs them without updating the module again); no HttpCase,
# which would first spend most of a minute building every asset bundle
UPGRADE_SMOKE_TESTS = (
    "TestSmoke",
    "TestRoles",
    "TestGuardMechanism",
    "TestCallbackScore",
    "TestPickupSecretsMigration",
    "TestUpgradeTexts",
)
MIGRATION_RUN = re.compile(
    rf"module {MODULE}: Running migration \[>?([\d.]+)>?\] (\S+)"
)


def manifest_version(folder):
    """The full version (``18.0.x.y.z``) in the manifest of ``folder``."""
    import ast

    manifest = ast.literal_eval((Path(folder) / "__manifest__.py").read_text())
    version = manifest["version"]
    return version if version.startswith("18.0.") else f"18.0.{version}"


def release_tree(commit, dest):
    """The add-on as it was at ``commit``, from this repository's history,
    extracted into ``dest``."""
    import io
    import tarfile

    res = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", commit],
        capture_output=True,
    )
    if res.returncode:
        die(
            f"git cannot read the commit {commit} of {REPO} "
            f"({res.stderr.decode(errors='replace').strip()}); in a shallow "
            "clone, fetch the history first (git fetch --unshallow)"
        )
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(res.stdout)) as tar:
        try:
            tar.extractall(dest, filter="data")
        except TypeError:  # a Python without extraction filters (< 3.11.4)
            tar.extractall(dest)  # noqa: S202 - our own repository's files
    return dest


def expected_migrations(old_version):
    """{(version, script)} of the migration scripts newer than
    ``old_version``, which the upgrade must run."""

    def key(version):
        return tuple(int(part) for part in version.split("."))

    return {
        (folder.name, script.stem)
        for folder in (REPO / "migrations").iterdir()
        if folder.is_dir() and key(folder.name) > key(old_version)
        for script in folder.glob("*.py")
    }


def odoo_shell(config, db, script, log, env):
    """Run the Python file ``script`` in ``odoo shell`` on ``db``, its
    output kept in ``log``; returns the exit code."""
    cmd = [
        sys.executable, "-m", "odoo", "shell", "-c", str(config), "-d", db,
        "--no-http", "--log-level=warn",
    ]  # fmt: skip
    with open(script, encoding="utf-8") as stdin:
        return run_logged(cmd, log, stdin=stdin, env=env)


def cmd_upgrade_test(opts):
    """Install release 18.0.1.0.0 with demo data, add records through its
    ORM, upgrade to this checkout and check that everything is still there,
    migrated, that the log has no error and that quick tests pass."""
    check_odoo()
    check_python_packages()
    start = time.monotonic()
    db = "care_upgrade"
    version = manifest_version(REPO)
    failed = []

    def step(msg):
        say(f"upgrade test [{time.monotonic() - start:4.0f} s] {msg}")

    def log_check(what, log, code):
        text = Path(log).read_text(encoding="utf-8", errors="replace")
        errors = log_errors(text)
        if code:
            errors.append(f"exited with code {code}")
        if errors:
            failed.append(what)
            say(f"{what}: errors in {log}:")
            for line in errors[:40]:
                print("  " + line, flush=True)
        return text

    with throwaway_cluster("upgrade", opts.keep) as (work, cluster):
        env = dict(
            os.environ,
            PYTHONDONTWRITEBYTECODE="1",
            CARE_UPGRADE_DIR=str(UPGRADE_SCRIPTS),
            CARE_UPGRADE_SNAPSHOT=str(work / "snapshot.json"),
            CARE_UPGRADE_VERSION=version,
        )
        old = release_tree(opts.release, work / "release" / MODULE)
        old_version = manifest_version(old)
        step(f"release {opts.release} ({old_version}) extracted into {old}")
        old_config = cluster.odoo_config(
            work / "release.conf", work / "data", addons=old.parent
        )
        step(f"installing {old_version} with demo data")
        log = work / "install.log"
        code = run_logged(
            odoo_cmd(
                old_config, "-d", db, "-i", MODULE, f"--load-language={LANGS}",
                "--stop-after-init", "--log-level=warn",
            ),
            log, echo=False,
        )  # fmt: skip
        log_check(f"the install of {old_version}", log, code)
        if not failed:
            step(f"adding records through the ORM of {old_version}")
            log = work / "seed.log"
            if odoo_shell(old_config, db, UPGRADE_SCRIPTS / "seed.py", log, env):
                failed.append("the seed")
        if not failed:
            step(f"upgrading to {version} (this checkout)")
            config = cluster.odoo_config(
                work / "odoo.conf",
                work / "data",
                {"http_interface": "127.0.0.1", "http_port": free_port()},
            )
            log = work / "upgrade.log"
            code = run_logged(
                odoo_cmd(
                    config, "-d", db, "-u", MODULE, "--stop-after-init",
                    "--log-level=info",
                ),
                log, echo=False,
            )  # fmt: skip
            text = log_check("the upgrade", log, code)
            ran = set(MIGRATION_RUN.findall(text))
            missing = sorted(expected_migrations(old_version) - ran)
            if missing:
                failed.append("the migrations")
                say("migration scripts that did not run: " + ", ".join(
                    f"{v}/{s}.py" for v, s in missing
                ))  # fmt: skip
            else:
                step(f"{len(ran)} migration scripts ran, the log has no error")
        checked = 0
        if not failed:
            step("checking the records on the upgraded database")
            log = work / "check.log"
            if odoo_shell(config, db, UPGRADE_SCRIPTS / "check.py", log, env):
                failed.append("the check")
            found = re.search(r"upgrade check: (\d+) records checked", log.read_text())
            checked = int(found.group(1)) if found else 0
        if not failed:
            tags = ",".join(f"/{MODULE}:{name}" for name in UPGRADE_SMOKE_TESTS)
            step("running quick tests of the suite on the upgraded database")
            log = work / "tests.log"
            code = run_logged(
                odoo_cmd(
                    config, "-d", db, "--test-enable", f"--test-tags={tags}",
                    "--stop-after-init", "--log-level=info",
                ),
                log, echo=False,
            )  # fmt: skip
            text = log_check("the tests", log, code)
            tests, failures = runner_counts(text)
            if failures or not tests:
                failed.append("the tests")
            step(f"tests: {tests - failures} passed, {failures} failed")
        seconds = time.monotonic() - start
        if failed:
            print(
                f"upgrade test: FAILED ({', '.join(failed)}; {seconds:.0f} s; "
                f"logs in {work}{'' if opts.keep else ', removed: use --keep'})",
                flush=True,
            )
            return 1
    print(f"upgrade test: ok ({checked} records checked, {seconds:.0f} s)", flush=True)
    return 0


def cmd_i18n(opts):
    """Export i18n/customer_care.pot and merge it into i18n/zh_CN.po."""
    check_odoo()
    check_python_packages()
    import polib

    pot_path = REPO / "i18n" / f"{MODULE}.pot"
    with throwaway_cluster("i18n") as (work, cluster):
        config = cluster.odoo_config(work / "odoo.conf", work / "data")
        db = "care_i18n"
        code = subprocess.call(
            odoo_cmd(
                config, "-d", db, "-i", MODULE, "--stop-after-init", "--log-level=warn"
            )
        )
        if code:
            die("install failed")
        code = subprocess.call(
            odoo_cmd(
                config,
                "-d",
                db,
                f"--i18n-export={pot_path}",
                f"--modules={MODULE}",
                "--stop-after-init",
                "--log-level=warn",
            )  # fmt: skip
        )
        if code:
            die("export failed")
    pot = polib.pofile(str(pot_path))
    for lang in LANGS.split(","):
        po_path = REPO / "i18n" / f"{lang}.po"
        po = polib.pofile(str(po_path)) if po_path.exists() else polib.POFile()
        po.metadata = dict(pot.metadata, Language=lang)
        po.merge(pot)
        po[:] = [e for e in po if not e.obsolete]
        po.save(str(po_path))
        todo = [e for e in po if not e.msgstr or "fuzzy" in e.flags]
        say(f"{po_path.name}: {len(po)} terms, {len(todo)} to translate")
    return 0


WHEEL_DIST = f"odoo_addon_{MODULE}"  # the wheel's file name, as pip spells it
WHEEL_CLONE = "newcomer"  # any folder name but the add-on's
WHEEL_TIMEOUT = 300  # seconds a step may take (pip fetches whool from PyPI)
WHEEL_PROBE = """\
import importlib.util, json, sys
from odoo.modules import module
module.initialize_sys_path()
name = sys.argv[1]
spec = importlib.util.find_spec("odoo.addons." + name)
manifest = module.get_manifest(name)
print(json.dumps({
    "path": module.get_module_path(name, display_warning=False),
    "spec": list(spec.submodule_search_locations or []) if spec else None,
    "listed": name in module.get_modules(),
    "version": manifest.get("version"),
    "installable": manifest.get("installable"),
}))
"""


def wheel_step(what, cmd, **kwargs):
    """Run a step of the wheel check; stop the check with its output when
    it fails."""
    try:
        res = subprocess.run(
            cmd, capture_output=True, text=True, timeout=WHEEL_TIMEOUT, **kwargs
        )
    except subprocess.TimeoutExpired:
        die(f"wheel check: {what} took more than {WHEEL_TIMEOUT} s")
    if res.returncode:
        sys.stderr.write(res.stdout[-4000:] + res.stderr[-4000:])
        die(f"wheel check: {what} failed (exit {res.returncode}): {' '.join(cmd)}")
    return res.stdout


def wheel_fail(problems):
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    die(f"wheel check failed ({len(problems)} problem(s) above)")


def cmd_wheel_check(opts):
    """Build the wheel from a clone of HEAD in a folder not called
    customer_care, install it with pip into a folder of its own (never into
    this Python's site-packages) and check that Odoo finds it by name."""
    import ast
    import json

    check_odoo()
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="care-wheel-") as tmp:
        tmp = Path(tmp)
        clone = tmp / WHEEL_CLONE
        say(f"cloning HEAD of {REPO} into {clone}")
        wheel_step("git init", ["git", "init", "-q", str(clone)])
        git = ["git", "-C", str(clone)]
        wheel_step("fetching HEAD", [*git, "fetch", "-q", str(REPO), "HEAD"])
        wheel_step("checking out HEAD", [*git, "checkout", "-q", "FETCH_HEAD"])
        tracked = set(wheel_step("git ls-files", [*git, "ls-files"]).splitlines())
        manifest = ast.literal_eval((clone / "__manifest__.py").read_text())
        version = manifest["version"]

        say("building the wheel: pip wheel --no-deps")
        dist = tmp / "dist"
        wheel_step(
            "pip wheel",
            [
                sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                "--wheel-dir", str(dist), str(clone),
            ],
            cwd=tmp,
        )  # fmt: skip
        wheels = sorted(p.name for p in dist.glob("*.whl"))
        name_re = re.compile(
            rf"^{WHEEL_DIST}-{re.escape(version)}(\.\d+)?-py3-none-any\.whl$"
        )
        if len(wheels) != 1 or not name_re.match(wheels[0]):
            wheel_fail(
                [f"expected one {WHEEL_DIST}-{version}[.N]-py3-none-any.whl, "
                 f"built: {', '.join(wheels) or 'nothing'}"]
            )  # fmt: skip
        say(f"built {wheels[0]}; installing it with pip install --target")
        site = tmp / "site"
        wheel_step(
            "pip install --target",
            [
                sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile",
                "--quiet", "--target", str(site), str(dist / wheels[0]),
            ],
            cwd=tmp,
        )  # fmt: skip

        problems = []
        package = site / "odoo" / "addons" / MODULE
        packaged = {
            p.relative_to(package).as_posix()
            for p in package.rglob("*")
            if p.is_file() or p.is_symlink()
        }
        expected = tracked - {"pyproject.toml"}  # whool leaves it out
        for path in sorted(expected - packaged)[:20]:
            problems.append(f"missing from odoo/addons/{MODULE}: {path}")
        for path in sorted(packaged - expected)[:20]:
            problems.append(f"packaged but not in git: {path}")
        others = sorted(
            p.name for p in (site / "odoo" / "addons").iterdir() if p.name != MODULE
        ) if (site / "odoo" / "addons").is_dir() else []  # fmt: skip
        if others:
            problems.append(f"other folders in odoo/addons: {', '.join(others)}")
        infos = sorted(site.glob(f"{WHEEL_DIST}-*.dist-info"))
        meta_name = None
        if len(infos) == 1 and (infos[0] / "METADATA").is_file():
            for line in (infos[0] / "METADATA").read_text().splitlines():
                if line.startswith("Name:"):
                    meta_name = line.split(":", 1)[1].strip()
                    break
        if meta_name != f"odoo-addon-{MODULE}":
            problems.append(
                f"dist-info: expected one {WHEEL_DIST}-*.dist-info named "
                f"odoo-addon-{MODULE}, found {[p.name for p in infos]} "
                f"named {meta_name!r}"
            )
        if problems:
            wheel_fail(problems)

        say("asking Odoo for the module by name, the wheel's folder on PYTHONPATH")
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(site), os.environ.get("PYTHONPATH")) if p
        )
        found = json.loads(
            wheel_step(
                "the Odoo probe",
                [sys.executable, "-c", WHEEL_PROBE, MODULE],
                env=env,
                cwd=tmp,
            ).splitlines()[-1]
        )
        real = os.path.realpath(package)
        if not found["path"] or os.path.realpath(found["path"]) != real:
            problems.append(
                f"get_module_path({MODULE!r}) is {found['path']!r}, not {package}"
            )
        if not found["spec"] or os.path.realpath(found["spec"][0]) != real:
            problems.append(
                f"odoo.addons.{MODULE} is imported from {found['spec']!r}, "
                f"not {package}"
            )
        if not found["listed"]:
            problems.append(f"{MODULE} is not among odoo.modules.get_modules()")
        if found["version"] != version or not found["installable"]:
            problems.append(
                f"manifest seen by Odoo: version {found['version']!r} (expected "
                f"{version!r}), installable {found['installable']!r}"
            )
        if problems:
            wheel_fail(problems)
    say(
        f"wheel check passed: {wheels[0]} installs as odoo/addons/{MODULE} with "
        f"{len(packaged)} files, found by Odoo ({time.monotonic() - start:.0f} s)"
    )
    return 0


def non_negative(value):
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"{value} is not 0 or more")
    return number


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="serve Odoo with customer_care and demo data")
    run.add_argument(
        "--reset", action="store_true", help="drop the database and start from scratch"
    )
    run.add_argument("--port", type=int, default=8069)
    run.add_argument("--database", default="customer_care")
    run.add_argument(
        "--workers",
        type=non_negative,
        default=0,
        help="serve with Odoo's prefork server: N HTTP workers, one cron worker "
        "and the websocket on a gevent port (default 0: the threaded server)",
    )
    test = sub.add_parser(
        "test", help="install on a fresh database and run the whole suite"
    )
    test.add_argument(
        "--quick", action="store_true", help="skip Odoo's own runner, only pytest-odoo"
    )
    test.add_argument(
        "--keep", action="store_true", help="keep the test cluster and logs"
    )
    test.add_argument(
        "--keep-going",
        action="store_true",
        help="run pytest even when the install log has errors",
    )
    test.add_argument(
        "pytest_args", nargs="*", help="extra pytest arguments (after --)"
    )
    sub.add_parser("i18n", help="export the .pot and merge it into the .po files")
    upgrade = sub.add_parser(
        "upgrade-test",
        help="install release 18.0.1.0.0 with records, upgrade it to this "
        "checkout and check them",
    )
    upgrade.add_argument(
        "--release",
        default=UPGRADE_RELEASE,
        help=f"the commit installed first (default {UPGRADE_RELEASE}, 18.0.1.0.0)",
    )
    upgrade.add_argument(
        "--keep", action="store_true", help="keep the cluster and the logs"
    )
    bench = sub.add_parser(
        "bench",
        help="install without demo data on a fresh database and run a benchmark",
    )
    bench.add_argument(
        "--customers",
        type=int,
        help=f"customers the benchmark creates (default {BENCH_CUSTOMERS}; "
        "with --smoke, the script's own tiny size)",
    )
    bench.add_argument(
        "--keep", action="store_true", help="keep the cluster and the logs"
    )
    bench.add_argument(
        "--smoke",
        action="store_true",
        help="run every script of benchmarks/ (or SCRIPT) with --smoke, at a "
        "tiny size, the add-on installed once; fail if one fails (figures "
        "ignored)",
    )
    bench.add_argument(
        "script",
        nargs="?",
        help=f"a script of benchmarks/ or its path (default {BENCH_DEFAULT}; "
        "with --smoke, all of them)",
    )
    bench.add_argument(
        "script_args",
        nargs=argparse.REMAINDER,
        help="arguments passed on to the script (after SCRIPT)",
    )
    sub.add_parser(
        "wheel-check",
        help="build the wheel from a clone of HEAD in another folder name, "
        "install it into a folder of its own, check that Odoo finds it by name",
    )
    opts = parser.parse_args(argv)
    commands = {
        "run": cmd_run,
        "test": cmd_test,
        "i18n": cmd_i18n,
        "bench": cmd_bench,
        "wheel-check": cmd_wheel_check,
        "upgrade-test": cmd_upgrade_test,
    }
    try:
        return commands[opts.command](opts)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

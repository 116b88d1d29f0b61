# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import contextlib
import importlib.util
import io
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

from odoo.tests.common import BaseCase, tagged

CARE_PY = Path(__file__).resolve().parent.parent / "tools" / "care.py"


def load_care():
    spec = importlib.util.spec_from_file_location("customer_care_tool", CARE_PY)
    care = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(care)
    return care


@tagged("post_install", "-at_install")
class TestCareRunWorkers(BaseCase):
    """``tools/care.py run`` serves with Odoo's threaded server by default
    and with ``--workers N`` in prefork mode: N HTTP workers, one cron
    worker and the websocket on a gevent port, started by a script (the
    prefork server starts its gevent process again from its own script)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care = load_care()

    def parsed(self, *argv):
        """The options ``main`` gives the run command for ``argv``."""
        seen = []
        with mock.patch.object(self.care, "cmd_run", side_effect=seen.append):
            self.care.main(["run", *argv])
        self.assertEqual(len(seen), 1)
        return seen[0]

    def test_workers_option(self):
        self.assertEqual(self.parsed().workers, 0)
        self.assertEqual(self.parsed("--workers", "3").workers, 3)
        for wrong in ("-1", "two"):
            with (
                contextlib.redirect_stderr(io.StringIO()),
                self.assertRaises(SystemExit),
            ):
                self.parsed("--workers", wrong)

    def test_threaded_by_default(self):
        cmd = self.care.serve_command("/x/odoo.conf", "care", 8069)
        self.assertEqual(cmd[:5], [sys.executable, "-m", "odoo", "-c", "/x/odoo.conf"])
        self.assertIn("--http-port=8069", cmd)
        self.assertIn("--db-filter=^care$", cmd)
        self.assertFalse([arg for arg in cmd if arg.startswith("--workers")])
        self.assertFalse([arg for arg in cmd if arg.startswith("--gevent-port")])

    def test_prefork_command(self):
        cmd = self.care.serve_command(
            "/x/odoo.conf", "care", 8069, 2, 18072, "/x/bin/odoo-care"
        )
        self.assertEqual(
            cmd[:4], [sys.executable, "/x/bin/odoo-care", "-c", "/x/odoo.conf"]
        )
        self.assertNotIn("-m", cmd)
        for arg in (
            "--workers=2",
            "--max-cron-threads=1",
            "--gevent-port=18072",
            "--http-port=8069",
            "--http-interface=127.0.0.1",
            "-d",
        ):
            self.assertIn(arg, cmd)
        with self.assertRaises(ValueError):
            self.care.serve_command("/x/odoo.conf", "care", 8069, 2, None, None)

    def test_launcher_starts_odoo(self):
        """The script runs Odoo by itself (``python3 -m odoo`` cannot be
        started again from its ``odoo/__main__.py``)."""
        with tempfile.TemporaryDirectory() as tmp:
            launcher = self.care.odoo_launcher(Path(tmp) / "bin")
            self.assertEqual(launcher, self.care.odoo_launcher(Path(tmp) / "bin"))
            res = subprocess.run(
                [sys.executable, str(launcher), "--version"],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=tmp,
                check=False,
            )
            self.assertEqual(res.returncode, 0, res.stderr)
            self.assertIn("Odoo Server 18.0", res.stdout)

    def test_gevent_probe(self):
        """Before serving with workers, the websocket process is started
        once as the prefork server starts it (``launcher gevent``): when it
        cannot start, ``run`` stops with its error, before installing."""
        with tempfile.TemporaryDirectory() as tmp:
            good = Path(tmp) / "good"
            good.write_text(
                "import sys\nassert sys.argv[1:] == ['gevent', '--version']\n"
            )
            bad = Path(tmp) / "bad"
            bad.write_text("raise SystemExit('no zope.interface here')\n")
            self.assertIsNone(self.care.gevent_problem(good))
            self.assertEqual(self.care.gevent_problem(bad), "no zope.interface here")
            care = self.care
            with (
                mock.patch.object(care, "STATE", Path(tmp)),
                mock.patch.object(care, "check_odoo"),
                mock.patch.object(care, "check_python_packages"),
                mock.patch.object(care, "odoo_launcher", return_value=bad),
                mock.patch.object(care, "Cluster") as cluster,
                contextlib.redirect_stderr(io.StringIO()) as err,
                self.assertRaises(SystemExit),
            ):
                care.cmd_run(care.argparse.Namespace(workers=2))
            self.assertIn("no zope.interface here", err.getvalue())
            cluster.assert_not_called()

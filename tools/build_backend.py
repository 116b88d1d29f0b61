# Copyright 2026 customer_care contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""PEP 517 build backend: whool, the add-on named ``customer_care`` whatever
the checkout's folder is called.

whool names the distribution after the folder it builds in: a clone in
``newcomer/`` would give ``odoo-addon-newcomer``, a module Odoo cannot find
under its name. This backend copies the files whool packages (those git
tracks, else the tree without its VCS and build folders) into a temporary
folder called ``customer_care``, with a ``PKG-INFO`` giving whool the name and
the version it computes on the checkout itself (the manifest's version and
git's post-version count, ``[tool.whool]`` options included), and lets whool
build the wheel or the sdist there. An editable install gets a ``PKG-INFO``
in the checkout for the time of the build, so that its link is called
``customer_care`` and points to the checkout.

A checkout already called ``customer_care`` and an unpacked sdist (which has
its ``PKG-INFO``) are built by whool as they are.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from email.generator import Generator
from email.message import Message
from pathlib import Path

from whool import buildapi as whool

ADDON = "customer_care"
NOT_PACKAGED = shutil.ignore_patterns(
    ".git",
    "build",
    "dist",
    "__pycache__",
    "*.py[co]",
    "*.egg-info",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
)


def _whool_options(src):
    """whool's options: ``[tool.whool]`` of pyproject.toml and its override
    variable, as whool reads them."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11: whool depends on tomli there
        import tomli as tomllib
    pyproject = src / "pyproject.toml"
    options = {}
    if pyproject.is_file():
        with open(pyproject, "rb") as f:
            options = dict(tomllib.load(f).get("tool", {}).get("whool", {}))
    strategy = os.environ.get("WHOOL_POST_VERSION_STRATEGY_OVERRIDE")
    if strategy:
        options["post_version_strategy_override"] = strategy
    return options


def _pkg_info(src, named_dir):
    """The Name (as whool derives it from ``named_dir``, a folder called
    ``customer_care``) and the Version (as whool computes it on ``src``)."""
    from manifestoo_core.metadata import metadata_from_addon_dir

    options = _whool_options(src)
    version = metadata_from_addon_dir(src, options)["Version"]
    name = metadata_from_addon_dir(
        named_dir, dict(options, post_version_strategy_override="none")
    )["Name"]
    msg = Message()
    msg["Metadata-Version"] = "2.1"
    msg["Name"] = name
    msg["Version"] = version
    return msg


def _write(path, msg):
    with open(path, "w", encoding="utf-8") as f:
        Generator(f, mangle_from_=False, maxheaderlen=0).flatten(msg)


def _git_files(src):
    """The files git tracks in ``src`` (relative paths), or None outside git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"],
            cwd=src,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [name for name in out.split("\0") if name]


def _copy_tree(src, dst):
    files = _git_files(src)
    if files is None:
        shutil.copytree(src, dst, ignore=NOT_PACKAGED)
        return
    dst.mkdir()
    for name in files:
        path = src / name
        if not path.is_file():  # deleted, not committed yet
            continue
        (dst / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, dst / name)


def _as_is(src):
    return src.name == ADDON or (src / "PKG-INFO").is_file()


@contextlib.contextmanager
def _cwd(path):
    old = Path.cwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(old)


@contextlib.contextmanager
def _staged():
    """The folder whool builds in: the checkout, or a copy called
    ``customer_care`` with its PKG-INFO (whool then packages all of it but
    that PKG-INFO and pyproject.toml, as it does for an sdist)."""
    src = Path.cwd()
    if _as_is(src):
        yield src
        return
    with tempfile.TemporaryDirectory(prefix="customer_care-build-") as tmp:
        dst = Path(tmp) / ADDON
        _copy_tree(src, dst)
        _write(dst / "PKG-INFO", _pkg_info(src, dst))
        with _cwd(dst):
            yield dst


@contextlib.contextmanager
def _named_in_place():
    """For an editable install: a PKG-INFO in the checkout while whool
    builds, so that the link it makes is called ``customer_care``."""
    src = Path.cwd()
    if _as_is(src):
        yield src
        return
    pkg_info = src / "PKG-INFO"
    with tempfile.TemporaryDirectory(prefix="customer_care-build-") as tmp:
        named = Path(tmp) / ADDON
        named.symlink_to(src, target_is_directory=True)
        msg = _pkg_info(src, named)
    _write(pkg_info, msg)
    try:
        yield src
    finally:
        pkg_info.unlink()


def _abs(path):
    return os.path.abspath(path)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = _abs(wheel_directory)
    with _staged():
        return whool.build_wheel(wheel_directory, config_settings, None)


def build_sdist(sdist_directory, config_settings=None):
    sdist_directory = _abs(sdist_directory)
    with _staged():
        return whool.build_sdist(sdist_directory, config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    metadata_directory = _abs(metadata_directory)
    with _staged():
        return whool.prepare_metadata_for_build_wheel(
            metadata_directory, config_settings
        )


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    wheel_directory = _abs(wheel_directory)
    with _named_in_place():
        return whool.build_editable(wheel_directory, config_settings, None)


def prepare_metadata_for_build_editable(metadata_directory, config_settings=None):
    metadata_directory = _abs(metadata_directory)
    with _named_in_place():
        return whool.prepare_metadata_for_build_editable(
            metadata_directory, config_settings
        )

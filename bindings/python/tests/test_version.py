"""`arichat.__version__` / `arichat.version()`: the workspace version."""

import re
from importlib import metadata
from pathlib import Path


import arichat

ROOT = Path(__file__).resolve().parents[3]


def workspace_version() -> str:
    text = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    section = text.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', section, re.MULTILINE)
    assert match, "workspace.package.version not found in Cargo.toml"
    return match.group(1)


def test_version_is_the_crate_version():
    assert arichat.version() == workspace_version()
    assert arichat.__version__ == arichat.version()
    assert metadata.version("arichat") == arichat.version()


def test_warm_is_idempotent_and_leaves_the_process_working() -> None:
    # What warm() saves is time on the first call (BENCHMARKS.md, first_call), which a
    # test does not assert; here: it returns None every time and nothing breaks.
    arichat.warm()
    arichat.warm()
    assert arichat.phone_from_wa_id("573001234567") == "+573001234567"
    assert arichat.classify("cuánto cuesta?")["primary"] == "price_inquiry"


def test_pyarrow_is_a_declared_dependency() -> None:
    # Tables in and out go through pyarrow: pip must install it with the wheel.
    requires = metadata.requires("arichat") or []
    assert any(r.replace(" ", "").startswith("pyarrow>=") for r in requires), requires

"""No network, ever: no module of auditor/ imports a network library, and a full scan with every
way to open a socket booby-trapped never tries (an attempt fails the test even if caught)."""

from __future__ import annotations

import ast
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditor.cli import app

PACKAGE = Path(__file__).resolve().parent.parent / "auditor"
SAMPLE = PACKAGE.parent / "sample_exports" / "Complete_LinkedInDataExport_08-26-2025.zip"
NETWORK = frozenset(
    [
        "socket", "_socket", "ssl", "_ssl", "http", "urllib", "urllib3", "requests", "httpx",
        "aiohttp", "ftplib", "smtplib", "poplib", "imaplib", "nntplib", "telnetlib", "xmlrpc",
        "socketserver", "asyncio", "websocket", "websockets", "webbrowser", "paramiko", "pycurl",
        "grpc", "boto3", "botocore", "selectors", "select",
    ]
)  # fmt: skip


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module a file imports, including `__import__("x")` and `import_module("x")`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            fn = node.func
            name = (
                fn.id
                if isinstance(fn, ast.Name)
                else fn.attr
                if isinstance(fn, ast.Attribute)
                else ""
            )
            arg = node.args[0]
            if name in ("__import__", "import_module") and isinstance(arg, ast.Constant):
                found.append((node.lineno, str(arg.value)))
    return found


def test_no_module_imports_a_network_library() -> None:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20 and any(f.name == "cli.py" for f in files)
    offenders = [
        f"{f.relative_to(PACKAGE.parent)}:{line}: {mod}"
        for f in files
        for line, mod in _imports(ast.parse(f.read_text(encoding="utf-8"), str(f)))
        if mod.split(".")[0] in NETWORK
    ]
    assert offenders == []


def test_the_import_scan_can_fail() -> None:
    src = "import socket\nfrom urllib.request import urlopen\nimportlib.import_module('ssl')\n"
    assert [m for _, m in _imports(ast.parse(src))] == ["socket", "urllib.request", "ssl"]


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def trap(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise NetworkAttempt(f"network access attempted: socket.{name}")

        return refuse

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname", "socketpair",
                 "fromfd", "create_server"):  # fmt: skip
        monkeypatch.setattr(socket, name, trap(name))
    return attempts


def test_trap_works(no_sockets: list[str]) -> None:
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 80))
    assert no_sockets == ["create_connection"]
    no_sockets.clear()


def test_full_scan_with_sockets_disabled(no_sockets: list[str], tmp_path: Path) -> None:
    out, rep, page = tmp_path / "f.csv", tmp_path / "r.json", tmp_path / "r.html"
    runner = CliRunner()
    result = runner.invoke(
        app, ["scan", str(SAMPLE), "--out", str(out), "--json", str(rep), "--html", str(page)]
    )
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert out.stat().st_size and rep.stat().st_size and page.stat().st_size
    for cmd in (["inventory", str(SAMPLE)], ["rules"], ["explain", "term sheet signed"]):
        assert runner.invoke(app, cmd).exit_code == 0, cmd
    assert no_sockets == []

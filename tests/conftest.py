"""Shared fixtures. Network is off: only loopback connections are allowed."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tidings import Pipeline, load_settings
from tidings.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "examples" / "seed-article.txt"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and host not in ("127.0.0.1", "::1", "localhost")
            and not host.startswith("127.")
            and self.family != socket.AF_UNIX
        ):
            raise OSError(f"network is off in tests (tried {host})")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(environ={})


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Pipeline:
    p = Pipeline.from_settings(settings)
    p.setup()
    return p


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(pipeline: Pipeline, seed_text: str):  # type: ignore[no-untyped-def]
    return pipeline.analyze(seed_text, published="2021-11-08")

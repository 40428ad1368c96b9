"""A Python client generated from the running service's /openapi.json, as a client developer would.

openapi-python-client writes it into a temporary directory (never committed);
any line it prints besides "Generating ..." (a warning, a skipped response)
fails the suite.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import (  # noqa: F401 (fixtures, re-exported for this folder)
    clinic_id,
    e2e_db_url,
    server,
)
from tests.e2e.server import Server

PACKAGE = "pet_booking_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

# One generation per distinct document: the stores' servers serve the same one.
_generated: dict[str, ModuleType] = {}


def generate(document: bytes, workdir: Path, package: str) -> str:
    """Run the generator on `document` into `workdir/package`; what it printed."""
    (workdir / "openapi.json").write_bytes(document)
    done = subprocess.run(
        [
            GENERATOR,
            "generate",
            "--path",
            "openapi.json",
            "--output-path",
            package,
            "--meta",
            "none",
        ],
        cwd=workdir,
        capture_output=True,
        text=True,
        # It formats what it writes with ruff, found on PATH: the one in this virtualenv.
        env={**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ['PATH']}"},
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def generated(
    server: Server,  # noqa: F811 (the e2e fixture imported above)
    tmp_path_factory: pytest.TempPathFactory,
) -> ModuleType:
    """The generated package, imported (the generator ran without a word of warning)."""
    document = httpx.get(f"{server.base_url}/openapi.json", timeout=15).content
    digest = hashlib.sha256(document).hexdigest()
    if digest not in _generated:
        # A package name per document, so a second document never meets the first's modules.
        package = f"{PACKAGE}_{digest[:12]}"
        workdir = tmp_path_factory.mktemp("generated-client")
        output = generate(document, workdir, package)
        assert output.splitlines() == [f"Generating {package}"], output
        sys.path.insert(0, str(workdir))
        _generated[digest] = importlib.import_module(package)
    return _generated[digest]


class Generated:
    """The generated package: `operation("request_booking")`, `model("PetCreate")`."""

    def __init__(self, package: ModuleType) -> None:
        self.package = package
        self.name = package.__name__
        self.models = importlib.import_module(f"{self.name}.models")

    def operation(self, name: str) -> ModuleType:
        # Operations live in a folder per tag: find the one that has it.
        [found] = Path(self.package.__file__ or "").parent.glob(f"api/*/{name}.py")
        return importlib.import_module(f"{self.name}.api.{found.parent.name}.{name}")

    # Any: the generated package is written at test time, so nothing checks its types statically.
    def model(self, name: str) -> Any:
        return getattr(self.models, name)

    def client(self, service: Server, token: str | None = None) -> Any:
        if token is None:
            return self.package.Client(base_url=service.base_url, raise_on_unexpected_status=True)
        return self.package.AuthenticatedClient(
            base_url=service.base_url, token=token, raise_on_unexpected_status=True
        )


@pytest.fixture
def api(generated: ModuleType) -> Generated:
    return Generated(generated)

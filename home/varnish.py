"""Varnish with the shipped VCL (``deploy/varnish/``) in front of a server on this machine: for
the benchmark (``make bench``) and the tests.

The shipped ``disclosure.vcl`` is used as it is; only its ``disclosure-backends.vcl`` is a copy,
in a temporary folder that comes first on Varnish's ``vcl_path``, with the server's port in
place of the shipped 8000.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

VARNISHD = Path("/usr/sbin/varnishd")
VCL_DIR = Path(__file__).resolve().parent.parent / "deploy" / "varnish"
BACKENDS = "disclosure-backends.vcl"


def installed() -> bool:
    return VARNISHD.exists()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


class Ports(NamedTuple):
    """Where Varnish listens: for visitors, and (named "purge" for the VCL) for the bans."""

    front: int
    purge: int

    @classmethod
    def free(cls) -> Ports:
        return cls(free_port(), free_port())

    @property
    def purge_url(self) -> str:
        """What ``VARNISH_URL`` names: the address that takes bans."""
        return f"http://127.0.0.1:{self.purge}"


@contextmanager
def running(backend_port: int, ports: Ports, *, memory: str = "64m") -> Iterator[Ports]:
    """``varnishd`` on ``ports`` in front of ``backend_port``, until the block ends."""
    port = ports.front
    folder = Path(tempfile.mkdtemp(prefix="disclosure-varnish-"))
    shipped = (VCL_DIR / BACKENDS).read_text(encoding="utf-8")
    if '.port = "8000";' not in shipped:
        raise RuntimeError(f"{VCL_DIR / BACKENDS} no longer names port 8000")
    (folder / BACKENDS).write_text(
        shipped.replace('.port = "8000";', f'.port = "{backend_port}";'), encoding="utf-8"
    )
    log = (folder / "varnishd.log").open("w")
    command = [
        str(VARNISHD),
        "-F",  # in the foreground: this process owns it
        "-j",
        "none",  # no jail: run as whoever runs the tests
        "-n",
        str(folder / "work"),
        "-a",
        f"127.0.0.1:{port}",
        "-a",
        f"purge=127.0.0.1:{ports.purge}",
        "-T",
        "none",
        "-s",
        f"malloc,{memory}",
        "-p",
        f"vcl_path={folder}:{VCL_DIR}",
        "-f",
        str(VCL_DIR / "disclosure.vcl"),
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        for _ in range(150):
            if _listening(port):
                break
            if process.poll() is not None:
                raise RuntimeError(f"varnishd stopped: {(folder / 'varnishd.log').read_text()}")
            time.sleep(0.1)
        else:
            raise RuntimeError("varnishd did not start listening in 15 s")
        yield ports
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)

"""Helpers for the server tests: a real uvicorn on 127.0.0.1 and a small corpus with HTML in it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

#: A document whose text contains markup that must be shown literally, never run.
XSS_FILE = "2021-03-01_holland-rijnland_memo-veilige-weergave.txt"
XSS_TEXT = """Memo veilige weergave van documenttekst

1 Aanleiding

Deze memo over jeugdhulp inkoop bevat opzettelijk een stuk code: <script>alert(1)</script> en \
ook <b>vet</b> en <img src=x onerror=alert(2)>. De kennisbank moet deze tekst letterlijk tonen.

2 Wonen

Het segment Wonen gaat over jeugdigen die niet thuis kunnen wonen. Pleegzorg en gezinshuizen \
zijn de belangrijkste vormen van verblijf voor deze jeugdigen.
"""


def write_xss_corpus(folder: Path) -> Path:
    """A one-document corpus with ``<script>`` in its text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / XSS_FILE).write_text(XSS_TEXT, encoding="utf-8")
    return folder


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port; yield its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as given (no client-side normalisation of ``..`` or ``%2e``)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()

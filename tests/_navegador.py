"""Lo que comparten las pruebas en el navegador: Debian's Chromium bajo Playwright (nunca se descarga un
navegador) y la espera a que JupyterLab responda."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cj_course.libro_pdf import ARGUMENTOS_CHROMIUM

CHROMIUM = Path("/usr/bin/chromium")


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Un Chromium sin cabeza (el de Debian, ``apt-get install chromium``), cerrado al salir."""
    if not CHROMIUM.exists():
        pytest.fail("Falta Chromium: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGUMENTOS_CHROMIUM)
        try:
            yield navegador
        finally:
            navegador.close()


def esperar_a_jupyterlab(
    base: str, ficha: str, servidor: subprocess.Popen[Any], registro: Path, espera_ms: int
) -> None:
    """Espera a que el servidor de JupyterLab responda; si muere o tarda demasiado, la prueba falla con su registro."""
    limite = time.monotonic() + espera_ms / 1000
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={ficha}", timeout=5) as respuesta:
                if respuesta.status == 200:
                    return
        except OSError:
            pass
        if servidor.poll() is not None or time.monotonic() > limite:
            pytest.fail("JupyterLab no arrancó:\n" + registro.read_text(encoding="utf-8")[-3000:])
        time.sleep(0.5)


def parar_servidor(servidor: subprocess.Popen[Any]) -> None:
    """Termina el grupo de procesos entero del servidor (con SIGKILL si no acaba en 20 s)."""
    try:
        os.killpg(servidor.pid, signal.SIGTERM)
        servidor.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(servidor.pid, signal.SIGKILL)
        servidor.wait(timeout=10)

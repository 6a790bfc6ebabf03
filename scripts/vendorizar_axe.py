"""Vuelve a llenar ``tests/_vendor/`` con axe-core (registro de npm) para las pruebas de accesibilidad.

Uso: ``python scripts/vendorizar_axe.py`` (necesita npm y conexión con su registro). Las pruebas
nunca descargan nada: usan los archivos guardados en el repositorio y comprueban sus sumas SHA-256
contra ``tests/_vendor/LEEME.txt``.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

from cj_course import ErrorCurso
from cj_course.libro import _npm_pack

RAIZ = Path(__file__).resolve().parents[1]
DESTINO = RAIZ / "tests" / "_vendor"
PAQUETE, VERSION = "axe-core", "4.14.1"
# file inside the npm tarball -> file inside tests/_vendor/
ARCHIVOS = {
    "package/axe.min.js": "axe.min.js",
    # Spanish messages, so the failure report of the test reads in the course's language.
    "package/locales/es.json": "axe-es.json",
    "package/LICENSE": "axe-LICENSE.txt",  # MPL-2.0
}


def sumas(carpeta: Path) -> dict[str, str]:
    """SHA-256 of every vendored file (what LEEME.txt records)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.iterdir())
        if p.is_file() and p.name != "LEEME.txt"
    }


def vendorizar() -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="cj-axe-") as tmp:
        tgz = _npm_pack(PAQUETE, VERSION, Path(tmp))
        nueva = Path(tmp) / "_vendor"
        nueva.mkdir()
        with tarfile.open(tgz) as tar:
            for dentro, fuera in ARCHIVOS.items():
                extraido = tar.extractfile(dentro)
                if extraido is None:
                    raise ErrorCurso(
                        f"{PAQUETE}@{VERSION} ya no contiene {dentro}.",
                        pista="Revisa ARCHIVOS en scripts/vendorizar_axe.py para esta versión.",
                    )
                (nueva / fuera).write_bytes(extraido.read())
        lineas = [
            "axe-core para las pruebas de accesibilidad del libro (tests/test_navegador_accesibilidad.py).",
            "No lo edites a mano: se regenera con `python scripts/vendorizar_axe.py`.",
            "Licencia: MPL-2.0 (axe-LICENSE.txt). Solo lo usan las pruebas; el libro no lo sirve.",
            "",
            f"{PAQUETE}@{VERSION} (registro de npm)",
            "",
            "SHA-256:",
            *(f"{suma}  {nombre}" for nombre, suma in sumas(nueva).items()),
        ]
        (nueva / "LEEME.txt").write_text("\n".join(lineas) + "\n", encoding="utf-8")
        shutil.rmtree(DESTINO, ignore_errors=True)
        shutil.copytree(nueva, DESTINO)
    return sorted(DESTINO.iterdir())


if __name__ == "__main__":
    try:
        for ruta in vendorizar():
            print(ruta.relative_to(RAIZ))
    except ErrorCurso as error:
        print(error, file=sys.stderr)
        sys.exit(1)

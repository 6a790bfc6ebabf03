"""Peso de cada página del libro construido: lo que descarga un lector que la abre por primera vez.

**La medida.** El peso de una página es su *tamaño de transferencia en una primera visita*: los bytes que
el navegador descarga para mostrarla, con la caché vacía — el HTML y cada script, hoja de estilo, fuente
e imagen que pide al cargarse (también lo que piden esos scripts y hojas: las fuentes de MathJax o de los
iconos, los módulos que carga require.js) —, comprimidos como los sirve cualquier servidor de archivos
estáticos (gzip para el texto: HTML, JavaScript, CSS, JSON, SVG; las fuentes woff/woff2 y las imágenes
PNG/JPEG van tal cual, ya están comprimidas). Es lo que paga quien lee desde el teléfono con datos.

**Cómo se mide.** Se sirve la carpeta del libro en 127.0.0.1 con un servidor que comprime con gzip
(nivel 6, el de nginx o Apache habituales) lo que un servidor estático comprime, y se abre cada página en
Chromium sin cabeza (Playwright, el Chromium de Debian) en un contexto nuevo, sin caché. Se baja hasta el
final de la página (las imágenes diferidas se cargan al verse) y se espera a que la red quede quieta.
Después se suman ``transferSize`` de la navegación y de cada recurso de
``performance.getEntriesByType('resource')`` (cuerpo comprimido más cabeceras). La misma tabla da el peso
sin comprimir (``decodedBodySize``). Nada sale de 127.0.0.1: cualquier otra dirección se bloquea y se
informa.

El objetivo (issue 18): la página más pesada de la edición del estudiante, por debajo de 2 MB
(2 000 000 bytes) transferidos.

Uso::

    python scripts/peso_libro.py [CARPETA_HTML] [--json salida.json] [--top 10]

Sin carpeta mide ``_build/html`` (la edición del estudiante). Sale con 1 si la página más pesada pasa del
límite, con 2 si falta el libro o Chromium.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

RAIZ = Path(__file__).resolve().parents[1]
LIMITE = 2_000_000  # bytes transferred: the heaviest page must stay under it (issue 18)
# What static hosts (nginx `gzip_types`, GitHub Pages, Apache mod_deflate) compress: text, not fonts/images.
_COMPRIMIBLES = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map", ".inv")
_NIVEL_GZIP = 6


class _ServidorGzip(http.server.SimpleHTTPRequestHandler):
    """Static files, gzipped (level 6) when the client accepts it and the type is text, like a static host."""

    def log_message(self, *args):  # the table is the output
        pass

    def send_head(self):  # type: ignore[override]
        ruta = Path(self.translate_path(self.path))
        acepta = "gzip" in (self.headers.get("Accept-Encoding") or "")
        if not (acepta and ruta.is_file() and ruta.suffix.lower() in _COMPRIMIBLES):
            return super().send_head()
        cuerpo = gzip.compress(ruta.read_bytes(), compresslevel=_NIVEL_GZIP, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(ruta)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(cuerpo)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        return io.BytesIO(cuerpo)


@contextlib.contextmanager
def servidor_gzip(carpeta: Path) -> Iterator[str]:
    """Serves ``carpeta`` on 127.0.0.1 (a free port) with gzip; yields its base URL."""
    manejador = functools.partial(_ServidorGzip, directory=str(carpeta))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=httpd.serve_forever, daemon=True)
    hilo.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def paginas(carpeta: Path) -> list[str]:
    """The pages of a built book (``_static``, ``_sources`` and ``_images`` hold no page)."""
    return [
        p.relative_to(carpeta).as_posix()
        for p in sorted(carpeta.rglob("*.html"))
        if not {"_static", "_sources", "_images"} & set(p.relative_to(carpeta).parts)
    ]


# Resource Timing keeps 250 entries by default: a page with many fonts would lose some.
_BUFER = "performance.setResourceTimingBufferSize(100000);"
_RECURSOS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const todos = [nav, ...performance.getEntriesByType('resource')];
  return todos.map(e => ({url: e.name, transferido: e.transferSize, comprimido: e.encodedBodySize,
                          descomprimido: e.decodedBodySize}));
}"""
_TIPOS = {
    "html": (".html",),
    "js": (".js",),
    "css": (".css",),
    "fuentes": (".woff", ".woff2", ".ttf", ".otf", ".eot"),
    "imagenes": (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"),
}


def _tipo(url: str) -> str:
    camino = urlparse(url).path.lower()
    return next((t for t, finales in _TIPOS.items() if camino.endswith(finales)), "otros")


def medir_pagina(navegador: Any, base: str, camino: str) -> dict:
    """Transfer size of one page on a first visit (fresh context, no cache), by kind and file."""
    contexto = navegador.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    externas: list[str] = []

    def filtrar(ruta):
        if urlparse(ruta.request.url).hostname == "127.0.0.1":
            ruta.continue_()
        else:  # the book must work offline: anything else is reported, never fetched
            externas.append(ruta.request.url)
            ruta.abort()

    try:
        contexto.route("**/*", filtrar)
        contexto.add_init_script(_BUFER)
        pagina = contexto.new_page()
        pagina.set_default_timeout(60_000)
        pagina.goto(f"{base}/{camino}", wait_until="load")
        pagina.wait_for_load_state("networkidle")
        # Lazy images load when seen: a reader who reads the whole page downloads them all.
        pagina.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        pagina.wait_for_timeout(300)
        pagina.wait_for_load_state("networkidle")
        entradas = pagina.evaluate(_RECURSOS)
    finally:
        contexto.close()
    archivos: dict[str, dict] = {}
    for e in entradas:
        camino_archivo = urlparse(e["url"]).path
        archivos[camino_archivo] = e  # a file counts once, even if asked for twice
    resultado: dict[str, Any] = {t: 0 for t in (*_TIPOS, "otros")}
    for camino_archivo, e in archivos.items():
        resultado[_tipo(camino_archivo)] += e["transferido"]
    resultado["total"] = sum(e["transferido"] for e in archivos.values())
    resultado["sin_comprimir"] = sum(e["descomprimido"] for e in archivos.values())
    resultado["archivos"] = {c: e["transferido"] for c, e in archivos.items()}
    resultado["externas"] = externas
    return resultado


def pesos(carpeta: Path, navegador: Any | None = None) -> dict[str, dict]:
    """The first-visit transfer size of every page of a built book (see the module's docstring).

    ``navegador`` is a Playwright browser; without one, Debian's Chromium is started and closed here.
    """
    if navegador is None:
        from playwright.sync_api import sync_playwright

        from cj_course._errores import ErrorCurso
        from cj_course.libro_pdf import ARGUMENTOS_CHROMIUM, buscar_chromium

        try:
            chromium = buscar_chromium()
        except ErrorCurso:
            raise SystemExit("Falta Chromium para medir las páginas: apt-get install -y chromium") from None
        with sync_playwright() as p:
            abierto = p.chromium.launch(executable_path=str(chromium), args=ARGUMENTOS_CHROMIUM)
            try:
                return pesos(carpeta, abierto)
            finally:
                abierto.close()
    with servidor_gzip(carpeta) as base:
        return {camino: medir_pagina(navegador, base, camino) for camino in paginas(carpeta)}


def _kb(n: int) -> str:
    return f"{n / 1000:.0f} kB"


def main(argv: list[str] | None = None) -> int:
    analizador = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    analizador.add_argument("carpeta", nargs="?", type=Path, default=RAIZ / "_build" / "html")
    analizador.add_argument(
        "--json", type=Path, help="guarda las cifras (también por archivo) en este archivo"
    )
    analizador.add_argument("--top", type=int, default=10, help="cuántas páginas mostrar (0: todas)")
    args = analizador.parse_args(argv)
    if not args.carpeta.is_dir():
        print(f"No existe {args.carpeta}: construye antes el libro (cj-course libro construir).")
        return 2
    tabla = pesos(args.carpeta)
    orden = sorted(tabla.items(), key=lambda par: -par[1]["total"])
    columnas = ("html", "js", "css", "fuentes", "imagenes", "otros", "total", "sin_comprimir")
    titulos = ("HTML", "JS", "CSS", "fuentes", "imágenes", "otros", "total", "sin gzip")
    print("Transferido en una primera visita (gzip), por página, de la más pesada a la más ligera:\n")
    print(f"{'página':<48} " + " ".join(f"{t:>9}" for t in titulos))
    for nombre, p in orden[: args.top or None]:
        print(f"{nombre:<48} " + " ".join(f"{_kb(p[c]):>9}" for c in columnas))
    mas = orden[0]
    print(
        f"\n{len(tabla)} páginas; la más pesada: {mas[0]}, {_kb(mas[1]['total'])} transferidos "
        f"({_kb(mas[1]['sin_comprimir'])} sin comprimir); límite {_kb(LIMITE)}."
    )
    pesados = sorted(mas[1]["archivos"].items(), key=lambda par: -par[1])[:5]
    print("Lo que más pesa en ella: " + "; ".join(f"{Path(c).name} {_kb(t)}" for c, t in pesados))
    externas = sorted({u for p in tabla.values() for u in p["externas"]})
    if externas:
        print("Peticiones fuera del libro (bloqueadas): " + ", ".join(externas))
    if args.json:
        args.json.write_text(json.dumps(tabla, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0 if mas[1]["total"] < LIMITE else 1


if __name__ == "__main__":
    sys.exit(main())

"""Peso de cada página del libro construido: lo que descarga un lector que la abre sin caché.

Cuenta el HTML y todo lo que la página pide al cargarse (scripts, hojas de estilo, imágenes, y las
fuentes que piden esas hojas), cada archivo una vez por página. Es lo que paga quien lee desde el
teléfono con datos: el objetivo es que la página más pesada quede por debajo de 2 MB.

Uso::

    python scripts/peso_libro.py [CARPETA_HTML] [--json salida.json] [--top 10]

Sin carpeta mide ``_build/html`` (la edición del estudiante).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

RAIZ = Path(__file__).resolve().parents[1]
LIMITE = 2_000_000  # bytes: the heaviest page must stay under it (issue 18)


class _Pedidos(HTMLParser):
    """Every file a page loads by itself: <script src>, <link rel=stylesheet|icon>, <img src>."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        atributos = dict(attrs)
        if tag in ("script", "img") and atributos.get("src"):
            self.urls.append(atributos["src"] or "")
        if tag == "link" and atributos.get("href"):
            rel = (atributos.get("rel") or "").split()
            if {"stylesheet", "icon"} & set(rel):
                self.urls.append(atributos["href"] or "")


def _local(pagina: Path, url: str) -> Path | None:
    partes = urlparse(url)
    if partes.scheme or partes.netloc or not partes.path:
        return None
    destino = (pagina.parent / unquote(partes.path)).resolve()
    return destino if destino.is_file() else None


def _fuentes_de_css(hoja: Path) -> list[Path]:
    """Fonts a stylesheet asks for (browsers fetch only the first format they support: woff2)."""
    texto = hoja.read_text(encoding="utf-8", errors="replace")
    encontradas = []
    for url in re.findall(r"url\(['\"]?([^'\")]+\.woff2)", texto):
        destino = (hoja.parent / unquote(url.split("?")[0])).resolve()
        if destino.is_file():
            encontradas.append(destino)
    return encontradas


def peso_de_pagina(pagina: Path) -> dict:
    """Bytes of the HTML and of each file it loads, plus the total.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "a.js").write_text("x" * 10)
    10
    >>> _ = (d / "p.html").write_text('<script src="a.js"></script>')
    >>> peso_de_pagina(d / "p.html")["total"]
    38
    """
    lector = _Pedidos()
    lector.feed(pagina.read_text(encoding="utf-8", errors="replace"))
    archivos: dict[Path, int] = {}
    for url in lector.urls:
        destino = _local(pagina, url)
        if destino is None:
            continue
        archivos[destino] = destino.stat().st_size
        if destino.suffix == ".css":
            for fuente in _fuentes_de_css(destino):
                archivos[fuente] = fuente.stat().st_size
    html = pagina.stat().st_size
    imagenes = sum(t for p, t in archivos.items() if p.suffix in {".png", ".svg", ".jpg", ".jpeg", ".gif"})
    return {
        "html": html,
        "imagenes": imagenes,
        "otros": sum(archivos.values()) - imagenes,
        "total": html + sum(archivos.values()),
    }


def pesos(carpeta: Path) -> dict[str, dict]:
    """The weight of every page of a built book (``_static`` and ``_sources`` are not pages)."""
    return {
        p.relative_to(carpeta).as_posix(): peso_de_pagina(p)
        for p in sorted(carpeta.rglob("*.html"))
        if not {"_static", "_sources", "_images"} & set(p.relative_to(carpeta).parts)
    }


def _kb(n: int) -> str:
    return f"{n / 1000:,.0f}".replace(",", "\u202f") + " kB" if n >= 10_000_000 else f"{n / 1000:.0f} kB"


def main(argv: list[str] | None = None) -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("carpeta", nargs="?", type=Path, default=RAIZ / "_build" / "html")
    analizador.add_argument("--json", type=Path, help="guarda las cifras en este archivo")
    analizador.add_argument("--top", type=int, default=10)
    args = analizador.parse_args(argv)
    if not args.carpeta.is_dir():
        print(f"No existe {args.carpeta}: construye antes el libro (cj-course libro construir).")
        return 2
    tabla = pesos(args.carpeta)
    orden = sorted(tabla.items(), key=lambda par: -par[1]["total"])
    print(f"{'página':<58} {'HTML':>8} {'imágenes':>9} {'otros':>8} {'total':>8}")
    for nombre, p in orden[: args.top]:
        print(
            f"{nombre:<58} {_kb(p['html']):>8} {_kb(p['imagenes']):>9} {_kb(p['otros']):>8} {_kb(p['total']):>8}"
        )
    total = sum(p["html"] + p["imagenes"] for p in tabla.values())
    mas = orden[0]
    print(
        f"\n{len(tabla)} páginas; HTML + imágenes de todas: {_kb(total)}; la más pesada: {mas[0]} ({_kb(mas[1]['total'])})"
    )
    if args.json:
        args.json.write_text(json.dumps(tabla, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0 if mas[1]["total"] < LIMITE else 1


if __name__ == "__main__":
    sys.exit(main())

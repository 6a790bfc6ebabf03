"""El libro publicado, abierto en Chromium sin cabeza y sin acceso a internet.

Se sirve ``_build/html`` en 127.0.0.1 y se bloquea cualquier otra dirección: si una página
necesitara un CDN, la petición quedaría registrada y la prueba fallaría. Las capturas quedan en
``artefactos/libro/`` para revisarlas.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import yaml

from cj_course import libro

pytestmark = pytest.mark.navegador

RAIZ = Path(__file__).resolve().parents[1]
ARTEFACTOS = RAIZ / "artefactos" / "libro"
ESPERA_MS = 60_000


@pytest.fixture(scope="module")
def libro_html(libros_construidos) -> Path:
    return libros_construidos["estudiante"]


class _Silencioso(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture(scope="module")
def servidor(libro_html):
    manejador = functools.partial(_Silencioso, directory=str(libro_html))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), manejador)
    hilo = threading.Thread(target=httpd.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class Visita:
    """A page plus everything that went wrong while it loaded."""

    def __init__(self, navegador, servidor):
        self.contexto = navegador.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
        self.externas: list[str] = []
        self.errores: list[str] = []
        self.contexto.route("**/*", self._filtrar)
        self.pagina = self.contexto.new_page()
        self.pagina.set_default_timeout(ESPERA_MS)
        self.pagina.on("console", lambda m: m.type == "error" and self.errores.append(f"consola: {m.text}"))
        self.pagina.on("pageerror", lambda e: self.errores.append(f"excepción: {e}"))
        self.pagina.on("requestfailed", self._peticion_fallida)
        self.servidor = servidor

    def _peticion_fallida(self, peticion):
        # Leaving a page cancels what it was still loading (ERR_ABORTED): not a fault of the book.
        # Missing files are HTTP 404s and show up as console errors; CDN requests are in `externas`.
        if peticion.failure != "net::ERR_ABORTED":
            self.errores.append(f"petición fallida: {peticion.url} ({peticion.failure})")

    def _filtrar(self, ruta):
        if urlparse(ruta.request.url).hostname == "127.0.0.1":
            ruta.continue_()
        else:  # no internet: anything else is a CDN the book should not need
            self.externas.append(ruta.request.url)
            ruta.abort()

    def abrir(self, camino: str):
        self.pagina.goto(f"{self.servidor}/{camino}", wait_until="load")
        self.pagina.wait_for_load_state("networkidle")
        return self.pagina

    def cerrar(self):
        self.contexto.close()


@pytest.fixture
def visita(navegador, servidor):
    v = Visita(navegador, servidor)
    yield v
    v.cerrar()


def _captura(pagina, nombre: str) -> None:
    ARTEFACTOS.mkdir(parents=True, exist_ok=True)
    pagina.screenshot(path=str(ARTEFACTOS / f"{nombre}.png"), full_page=True)


def _orden_de_lectura() -> list[str]:
    indice = yaml.safe_load((RAIZ / "_toc.yml").read_text(encoding="utf-8"))
    return libro.archivos_del_indice(indice)


MODULOS = [p for p in _orden_de_lectura() if p.startswith("modules/")]


@pytest.mark.parametrize("modulo", MODULOS)
def test_cada_modulo_carga_sin_errores_y_con_sus_figuras(visita, modulo):
    pagina = visita.abrir(f"{modulo}.html")
    # images decode lazily below the fold: bring each one into view before measuring it
    for imagen in pagina.locator("article img").all():
        imagen.scroll_into_view_if_needed()
    pagina.wait_for_function(
        "() => [...document.querySelectorAll('article img')].every(i => i.complete)", timeout=ESPERA_MS
    )
    figuras = pagina.eval_on_selector_all(
        "article img", "imgs => imgs.map(i => ({src: i.getAttribute('src'), ancho: i.naturalWidth}))"
    )
    _captura(pagina, Path(modulo).name)
    rotas = [f["src"] for f in figuras if f["ancho"] == 0]
    assert not rotas, f"{modulo}: figuras que no se ven: {rotas}"
    assert pagina.locator("article h1").first.is_visible()
    assert visita.externas == [], f"{modulo} pidió recursos de internet: {visita.externas}"
    assert visita.errores == [], f"{modulo}: {visita.errores}"


def test_los_modulos_tienen_figuras(libro_html):
    # figures produced by the notebooks are copied to _images/ (the theme's logos live in _static/)
    con_figuras = [
        m
        for m in MODULOS
        if re.search(r'<img [^>]*src="\.\./_images/', (libro_html / f"{m}.html").read_text(encoding="utf-8"))
    ]
    assert con_figuras, "ningún módulo tiene figuras"


def test_la_busqueda_encuentra_retencion(visita):
    pagina = visita.abrir(f"search.html?q={quote('retención')}")
    resultados = pagina.locator("#search-results ul.search li")
    resultados.first.wait_for(state="visible", timeout=ESPERA_MS)
    _captura(pagina, "busqueda_retencion")
    assert resultados.count() >= 1
    enlaces = pagina.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    assert any("glosario" in e for e in enlaces), enlaces
    # each summary shows the text around the word, accents and all (book/_recursos/cj-busqueda.js)
    pagina.locator("#search-results p.context").first.wait_for(state="visible", timeout=ESPERA_MS)
    resumenes = pagina.locator("#search-results p.context").all_inner_texts()
    assert any("retención" in r.lower() for r in resumenes), resumenes
    assert visita.externas == [] and visita.errores == [], visita.externas + visita.errores


def test_anterior_y_siguiente_recorren_el_indice(visita):
    orden = _orden_de_lectura()
    pagina = visita.abrir(f"{orden[0]}.html")
    for esperado in orden[1:]:
        pagina.locator("a.right-next").click()
        pagina.wait_for_url(re.compile(re.escape(f"/{esperado}.html")), wait_until="domcontentloaded")
    assert pagina.locator("a.right-next").count() == 0, "la última página no debería tener «siguiente»"
    for esperado in reversed(orden[:-1]):
        pagina.locator("a.left-prev").click()
        pagina.wait_for_url(re.compile(re.escape(f"/{esperado}.html")), wait_until="domcontentloaded")
    assert visita.externas == [] and visita.errores == [], visita.externas + visita.errores


def test_un_widget_guardado_se_muestra_sin_conexion(visita, libro_html):
    con_widgets = [
        m
        for m in MODULOS
        if "application/vnd.jupyter.widget-state+json"
        in (libro_html / f"{m}.html").read_text(encoding="utf-8")
    ]
    assert con_widgets, "ningún módulo muestra un widget"
    for modulo in con_widgets:
        pagina = visita.abrir(f"{modulo}.html")
        vistas = pagina.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
        widgets = pagina.locator(".cell_output .jupyter-widgets").first
        widgets.wait_for(state="visible", timeout=ESPERA_MS)
        widgets.scroll_into_view_if_needed()
        caja = widgets.bounding_box()
        ARTEFACTOS.mkdir(parents=True, exist_ok=True)
        widgets.screenshot(path=str(ARTEFACTOS / f"widget_{Path(modulo).name}.png"))
        assert vistas >= 1
        assert caja and caja["width"] > 0 and caja["height"] > 0
        assert pagina.locator(".cell_output .jupyter-widgets").count() >= vistas
        assert "Error displaying widget" not in pagina.inner_text("article")
        assert visita.externas == [], visita.externas
        assert visita.errores == [], visita.errores


def test_las_formulas_se_dibujan_sin_conexion(visita, libro_html):
    # Sphinx also loads MathJax on pages whose toctree holds a formula (the cover): only pages
    # with a formula of their own can show one.
    con_formulas = [
        p.relative_to(libro_html).as_posix()
        for p in sorted(libro_html.rglob("*.html"))
        if "_static" not in p.parts and re.search(r'class="math[ "]', p.read_text(encoding="utf-8"))
    ]
    if not con_formulas:
        pytest.skip("ninguna página del libro tiene fórmulas")
    for camino in con_formulas:
        pagina = visita.abrir(camino)
        assert "mathjax/tex-chtml.js" in pagina.content()
        pagina.locator("mjx-container").first.wait_for(state="attached", timeout=ESPERA_MS)
        formulas = pagina.locator(".math").count()
        assert pagina.locator("mjx-container").count() >= formulas
        assert visita.externas == [] and visita.errores == [], visita.externas + visita.errores


def _peso_libro():
    """scripts/peso_libro.py, the measure of a page's weight the issue's figures use (not a package)."""
    import importlib.util

    especificacion = importlib.util.spec_from_file_location("peso_libro", RAIZ / "scripts" / "peso_libro.py")
    assert especificacion and especificacion.loader
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo


def test_la_pagina_mas_pesada_transfiere_menos_de_2_mb(navegador, libro_html):
    peso = _peso_libro()
    tabla = peso.pesos(libro_html, navegador)
    assert set(tabla) >= {f"{m}.html" for m in MODULOS}
    orden = sorted(tabla.items(), key=lambda par: -par[1]["total"])
    resumen = "\n".join(f"{nombre}: {p['total'] / 1000:.0f} kB" for nombre, p in orden[:5])
    _pagina, mas = orden[0]
    assert mas["total"] < peso.LIMITE, f"la página más pesada pasa de 2 MB:\n{resumen}"
    # The measure counts what the scripts load too (not only the HTML's own tags): MathJax's fonts.
    assert any("/mathjax/output/" in archivo for p in tabla.values() for archivo in p["archivos"])
    for nombre, p in tabla.items():
        assert p["externas"] == [], (nombre, p["externas"])
        texto = (libro_html / nombre).read_text(encoding="utf-8")
        pedidos = set(p["archivos"])
        assert not any(a.endswith("/fontawesome.js") for a in pedidos), nombre
        # The widget manager and MathJax only where the page needs them.
        con_widgets = "application/vnd.jupyter.widget-state+json" in texto
        assert any(a.endswith("/embed-amd.js") for a in pedidos) == con_widgets, nombre
        if not re.search(r'class="math[ "]', texto):
            assert not any("/mathjax/" in a for a in pedidos), nombre


def test_los_iconos_del_tema_se_dibujan_con_su_fuente_recortada(visita, libro_html):
    from fontTools.ttLib import TTFont

    css = (libro_html / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    fuentes = libro_html / "_static" / "vendor" / "fontawesome" / "webfonts"
    glifos = {f.name: set(TTFont(f).getBestCmap()) for f in fuentes.glob("*.woff2")}
    assert glifos and all(glifos.values())
    usadas = set()
    for pagina in libro_html.rglob("*.html"):
        usadas |= set(
            re.findall(
                r'class="[^"]*?\b(fa-(?!(?:solid|brands|regular|lg|fw|xs|sm|\dx)\b)[a-z0-9-]+)',
                pagina.read_text(),
            )
        )
    assert {"fa-bars", "fa-magnifying-glass", "fa-github"} <= usadas
    for clase in usadas:
        regla = re.search(rf"\.{clase}:before(?:,[^{{]*)?{{content:\"\\([0-9a-f]+)\"", css)
        assert regla, f"{clase} no está en el CSS del tema"
        punto = int(regla.group(1), 16)
        assert any(punto in g for g in glifos.values()), f"el icono {clase} falta en las fuentes recortadas"
    # In the browser: the icons are drawn with Font Awesome's font, on a page with widgets and one without.
    for camino in ("modules/05_medicion.html", "book/glosario.html"):
        pagina = visita.abrir(camino)
        assert pagina.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')"), camino
        familias = pagina.evaluate(
            "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
        )
        assert "Font Awesome 6 Free" in familias and "Font Awesome 6 Brands" in familias, (camino, familias)
        boton = pagina.locator(".fa-bars:visible").first
        caja = boton.bounding_box()
        assert caja and caja["width"] > 0, camino
        _captura(pagina, f"iconos_{Path(camino).stem}")
        assert visita.externas == [] and visita.errores == [], visita.externas + visita.errores

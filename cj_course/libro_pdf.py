"""La edición en PDF del libro: la página única del libro (``singlehtml``) impresa con Chromium, sin internet.

``cj-course libro construir --pdf`` construye primero el libro normal y después, con la misma
configuración y los cuadernos ya ejecutados de la caché, una sola página con todo el curso. Esta
función la abre en el Chromium de Debian (nunca se descarga un navegador), espera a que se dibujen
los formularios guardados y las fórmulas, añade un índice con enlaces, corta las palabras largas con
el diccionario español de ``pyphen`` (Chromium no trae diccionarios de silabeo) y la imprime en A4
con números de página y marcadores.

>>> partir_palabras("La personalización del recorrido")
'La per\\xadso\\xadna\\xadli\\xadza\\xadción del re\\xadco\\xadrrido'
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from cj_course._errores import ErrorCurso

__all__ = [
    "ARGUMENTOS_CHROMIUM",
    "NOMBRE_PDF",
    "buscar_chromium",
    "comprobar_lo_necesario",
    "imprimir",
    "partir_palabras",
]

NOMBRE_PDF = "curso-customer-journey.pdf"
ESPERA_MS = 120_000
# Headless and quiet: no first-run, sync or component downloads (the machines may have no internet).
ARGUMENTOS_CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_GUION_SUAVE = "\u00ad"
# Words shorter than this are never split: a break in "venta" helps no line and reads badly.
_MINIMO_PARA_PARTIR = 7
_PALABRA = re.compile(r"[^\W\d_]{" + str(_MINIMO_PARA_PARTIR) + ",}")

_diccionario: Any = None


def partir_palabras(texto: str) -> str:
    """El texto con guiones suaves (U+00AD) donde el español permite partir cada palabra larga.

    Los guiones suaves no se ven: solo aparecen, como «-», cuando la palabra se parte al final de
    una línea.
    """
    global _diccionario
    if _diccionario is None:
        import pyphen

        # Spanish syllables: at least two letters on each side of a break.
        _diccionario = pyphen.Pyphen(lang="es", left=2, right=3)
    diccionario = _diccionario
    return _PALABRA.sub(lambda m: diccionario.inserted(m.group(0), hyphen=_GUION_SUAVE), texto)


def buscar_chromium() -> Path:
    """El ejecutable de Chromium (``CJ_CHROMIUM`` o el de Debian); si no hay, un error que dice qué instalar."""
    candidatos = [os.environ.get("CJ_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
    candidatos += [shutil.which(n) or "" for n in ("chromium", "chromium-browser")]
    for candidato in candidatos:
        if candidato and Path(candidato).is_file() and os.access(candidato, os.X_OK):
            return Path(candidato)
    raise ErrorCurso(
        "No encuentro Chromium, que hace falta para imprimir el libro en PDF.",
        campo="--pdf",
        pista="Instálalo con: sudo apt-get install -y chromium (Debian/Ubuntu). Si ya lo tienes en otro "
        "sitio, indica su ruta en la variable de entorno CJ_CHROMIUM.",
    )


def comprobar_lo_necesario() -> Path:
    """Chromium y los paquetes de Python del PDF, antes de la construcción larga; devuelve Chromium.

    Sin alguno, un ``ErrorCurso`` que dice qué instalar (nunca un ``ImportError`` al final).
    """
    chromium = buscar_chromium()
    import importlib.util

    faltan = [p for p in ("playwright", "pyphen", "pypdf") if importlib.util.find_spec(p) is None]
    if faltan:
        raise ErrorCurso(
            f"Faltan paquetes de Python para el libro en PDF: {', '.join(faltan)}.",
            campo="--pdf",
            pista="Instala el curso completo: pip install -e '.[curso]' (no hace falta «playwright install»: "
            "se usa el Chromium del sistema).",
        )
    return chromium


# Print stylesheet: only the book's text, at A4 width, with chapters starting on a new page.
HOJA_IMPRESION = """
@page { size: A4; }
html { font-size: 10.5pt; }
body { background: white !important; }
.bd-header, .bd-header-announcement, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer,
.bd-footer-article, .bd-footer-content, .header-article, .prev-next-area, .headerlink, .toggle-button,
.skip-link, .search-button-field, .copybtn, #pst-back-to-top, .cj-solo-web, .bd-search,
.sidebar-toggle, .primary-toggle, .secondary-toggle { display: none !important; }
.bd-container, .bd-container__inner, .bd-main, .bd-content, .bd-article-container, .bd-page-width,
.bd-article { max-width: none !important; width: auto !important; margin: 0 !important;
  padding: 0 !important; display: block !important; }
article, p, li, dd, td, th, figcaption, .admonition { hyphens: manual; text-align: justify; }
td, th { text-align: left; }
img { max-width: 100% !important; height: auto !important; }
figure, img, .cell_output, table, .admonition, .jupyter-widgets { break-inside: avoid; }
h1, h2, h3, h4 { break-after: avoid; }
pre { white-space: pre-wrap !important; word-break: break-word; overflow: visible !important;
  font-size: 8.5pt; max-height: none !important; }
div.cell details { display: block; }
.cj-capitulo { break-before: page; }
#cj-indice { break-after: page; break-before: page; }
#cj-indice ol { list-style: none; padding-left: 0; }
#cj-indice ol ol { padding-left: 1.5em; }
#cj-indice li { margin: 0.2em 0; }
#cj-indice a { color: inherit; text-decoration: none; }
.cj-nota-widget { border: 1px solid #888; border-radius: 4px; padding: 0.4em 0.7em; font-style: italic; }
a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 85%; word-break: break-all; }
"""

# Runs in the page once the widgets are drawn: marks chapters, writes the table of contents, replaces
# a widget that could not be drawn with a note, and returns the prose text nodes to hyphenate.
_PREPARAR = r"""
() => {
  const principal = document.querySelector("article.bd-article") || document.body;
  // 1. Widgets without saved state print as a note instead of an empty box.
  for (const vista of principal.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')) {
    const previo = vista.previousElementSibling;
    const dibujado = previo && previo.classList.contains("widget-subarea") && previo.innerText.trim() !== "";
    if (!dibujado) {
      const nota = document.createElement("p");
      nota.className = "cj-nota-widget";
      nota.textContent = "Aquí hay un formulario interactivo: ábrelo en JupyterLab para usarlo.";
      vista.parentElement.insertBefore(nota, vista);
    }
  }
  // 2. Chapters: every page of the book starts on a new sheet; the index links to each.
  const entradas = [];
  for (const marca of principal.querySelectorAll('span[id^="document-"]')) {
    let seccion = marca.nextElementSibling;
    while (seccion && seccion.tagName !== "SECTION") seccion = seccion.nextElementSibling;
    if (!seccion) continue;
    seccion.classList.add("cj-capitulo");
    const titulo = seccion.querySelector("h1, h2, h3, h4");
    if (!titulo) continue;
    const texto = Array.from(titulo.childNodes)
      .filter((n) => !(n.classList && n.classList.contains("headerlink")))
      .map((n) => n.textContent).join("").trim();
    entradas.push({ id: marca.id, texto, nivel: Number(titulo.tagName.slice(1)) });
  }
  if (entradas.length) {
    const indice = document.createElement("nav");
    indice.id = "cj-indice";
    indice.setAttribute("aria-label", "Contenido");
    const cabecera = document.createElement("h2");
    cabecera.textContent = "Contenido";
    indice.appendChild(cabecera);
    const minimo = Math.min(...entradas.map((e) => e.nivel));
    const listas = [document.createElement("ol")];
    indice.appendChild(listas[0]);
    for (const entrada of entradas) {
      const nivel = entrada.nivel - minimo;
      while (listas.length - 1 < nivel) {
        const sub = document.createElement("ol");
        (listas[listas.length - 1].lastElementChild || listas[listas.length - 1]).appendChild(sub);
        listas.push(sub);
      }
      while (listas.length - 1 > nivel) listas.pop();
      const item = document.createElement("li");
      const enlace = document.createElement("a");
      enlace.href = "#" + entrada.id;
      enlace.textContent = entrada.texto;
      item.appendChild(enlace);
      listas[listas.length - 1].appendChild(item);
    }
    const primera = principal.querySelector('span[id^="document-"]');
    primera.parentElement.insertBefore(indice, primera);
  }
  // 3. Prose text nodes (no code, formulas, widgets or scripts) for Spanish hyphenation.
  const excluir = "h1, h2, h3, h4, h5, h6, #cj-indice, pre, code, script, style, mjx-container, .math, .jupyter-widgets, .highlight, kbd, a.headerlink";
  const recorrido = document.createTreeWalker(principal, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement && !n.parentElement.closest(excluir) && /\S{7}/.test(n.nodeValue)
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  // Heading texts in document order: Chromium's bookmarks lose the space where a heading wraps.
  window.__cjTitulos = Array.from(principal.querySelectorAll("h1, h2, h3, h4, h5, h6")).map((h) =>
    Array.from(h.childNodes).filter((n) => !(n.classList && n.classList.contains("headerlink")))
      .map((n) => n.textContent).join("").replace(/\s+/g, " ").trim());
  window.__cjNodos = [];
  while (recorrido.nextNode()) window.__cjNodos.push(recorrido.currentNode);
  return window.__cjNodos.map((n) => n.nodeValue);
}
"""

_PARTIR = r"""
(textos) => { textos.forEach((t, i) => { window.__cjNodos[i].nodeValue = t; }); return textos.length; }
"""

# Resolves when every saved widget view is drawn (or has no state to be drawn from) and MathJax is done.
_ESPERAR = r"""
async () => {
  const estados = Array.from(document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]'));
  const modelos = new Set();
  for (const e of estados) { try { Object.keys(JSON.parse(e.textContent).state || {}).forEach((k) => modelos.add(k)); } catch (_) {} }
  const pendientes = () => Array.from(document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]'))
    .filter((v) => { try { return modelos.has(JSON.parse(v.textContent).model_id); } catch (_) { return false; } })
    .filter((v) => !(v.previousElementSibling && v.previousElementSibling.classList.contains("widget-subarea")
      && v.previousElementSibling.childElementCount > 0)).length;
  // A view that never draws must not hang the build: after a minute it prints as the note of _PREPARAR.
  const limite = Date.now() + 60000;
  while (pendientes() > 0 && Date.now() < limite) await new Promise((r) => setTimeout(r, 250));
  if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) await window.MathJax.startup.promise;
  await document.fonts.ready;
  return true;
}
"""


def _pie(titulo: str) -> str:
    # Chromium fills .pageNumber/.totalPages; page styles do not reach the footer, so it is styled inline.
    return (
        '<div style="font-size:8pt;color:#444;width:100%;padding:0 15mm;display:flex;'
        'justify-content:space-between;font-family:sans-serif">'
        f"<span>{titulo}</span>"
        '<span>Página <span class="pageNumber"></span> de <span class="totalPages"></span></span></div>'
    )


def imprimir(pagina: Path, destino: Path, *, titulo: str) -> Path:
    """Imprime la página única del libro (``pagina``) en ``destino`` (PDF, A4) y devuelve la ruta.

    Sin internet: cualquier petición que no sea a un archivo local se bloquea.
    """
    import html

    chromium = buscar_chromium()
    try:
        from playwright.sync_api import Error as ErrorPlaywright
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise ErrorCurso(
            "Falta el paquete de Python playwright, que maneja Chromium para imprimir el PDF.",
            pista="Instala el curso completo: pip install -e '.[curso]' (no hace falta «playwright "
            "install»: se usa el Chromium del sistema).",
        ) from exc
    destino.parent.mkdir(parents=True, exist_ok=True)
    temporal = destino.with_name(destino.name + ".parcial")
    try:
        with sync_playwright() as p:
            navegador = p.chromium.launch(executable_path=str(chromium), args=ARGUMENTOS_CHROMIUM)
            try:
                hoja = navegador.new_page()
                hoja.route(
                    "**/*",
                    lambda ruta: ruta.continue_() if ruta.request.url.startswith("file:") else ruta.abort(),
                )
                hoja.goto(pagina.resolve().as_uri(), wait_until="load", timeout=ESPERA_MS)
                hoja.emulate_media(media="print")
                hoja.evaluate(_ESPERAR)
                textos = hoja.evaluate(_PREPARAR)
                hoja.evaluate(_PARTIR, [partir_palabras(t) for t in textos])
                hoja.add_style_tag(content=HOJA_IMPRESION)
                titulos = hoja.evaluate("() => window.__cjTitulos")
                hoja.pdf(
                    path=str(temporal),
                    format="A4",
                    margin={"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=_pie(html.escape(titulo)),
                    print_background=True,
                    outline=True,
                    tagged=True,
                )
            finally:
                navegador.close()
    except ErrorPlaywright as exc:
        temporal.unlink(missing_ok=True)
        raise ErrorCurso(
            f"Chromium no pudo imprimir el libro: {(str(exc).splitlines() or [type(exc).__name__])[0]}",
            campo="--pdf",
            pista="Comprueba que Chromium arranca (chromium --headless --version) y vuelve a intentarlo.",
        ) from exc
    _corregir_marcadores(temporal, titulos)
    temporal.replace(destino)
    return destino


def _corregir_marcadores(pdf: Path, titulos: list[str]) -> None:
    """Bookmarks titled with the headings' own text (Chromium glues the words around a line break)."""
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    escritor = PdfWriter(clone_from=str(pdf))
    raiz = escritor._root_object.get("/Outlines")
    nodos = []

    def recorrer(nodo):
        while nodo is not None:
            nodo = nodo.get_object()
            nodos.append(nodo)
            recorrer(nodo.get("/First"))
            nodo = nodo.get("/Next")

    if raiz is not None:
        recorrer(raiz.get_object().get("/First"))
    # Only when the bookmarks are exactly the headings, in order (empty headings have no bookmark).
    titulos = [t for t in titulos if t]
    if len(nodos) == len(titulos):
        for nodo, titulo in zip(nodos, titulos, strict=True):
            nodo[NameObject("/Title")] = TextStringObject(titulo)
    # The language always: screen readers read the PDF with Spanish rules.
    escritor.add_metadata({"/Lang": "es"})
    escritor._root_object[NameObject("/Lang")] = TextStringObject("es")
    with open(pdf, "wb") as salida:
        escritor.write(salida)

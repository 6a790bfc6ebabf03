"""La edición en PDF del libro (``cj-course libro construir --pdf``): se imprime con el Chromium del sistema.

Las dos ediciones se imprimen una vez por módulo de pruebas con la orden real, reutilizando la caché
de ejecución de ``_build/``. El texto se lee con ``pdftotext`` (poppler-utils, que instala
``deploy/preparar_sistema.sh``) y la estructura con ``pypdf``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from cj_course import libro
from cj_course.calificacion.fugas import buscar_fugas

pytestmark = pytest.mark.navegador

RAIZ = Path(__file__).resolve().parents[1]


def _construir_pdf(*argumentos: str) -> Path:
    proceso = subprocess.run(
        [
            sys.executable,
            "-m",
            "cj_course.cli",
            "libro",
            "construir",
            "--raiz",
            str(RAIZ),
            "--pdf",
            *argumentos,
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    assert proceso.returncode == 0, proceso.stdout[-3000:] + proceso.stderr[-5000:]
    rutas = libro.rutas_de_edicion(RAIZ, con_soluciones="--con-soluciones" in argumentos)
    assert f"PDF listo: {rutas.pdf}" in proceso.stdout
    return rutas.pdf


@pytest.fixture(scope="module")
def pdf_estudiante() -> Path:
    return _construir_pdf()


@pytest.fixture(scope="module")
def pdf_soluciones() -> Path:
    return _construir_pdf("--con-soluciones")


def _texto_crudo(pdf: Path, *opciones: str) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *opciones, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _texto(pdf: Path) -> str:
    """The PDF's text as a reader would copy it: soft hyphens out, words split at a line end joined."""
    texto = _texto_crudo(pdf).replace("\u00ad", "")
    return re.sub(r"(\w)[\u2010-]\n(\w)", r"\1\2", texto)


def _palabras(texto: str) -> str:
    return " ".join(re.sub(r"\W+", " ", texto).lower().split())


def _paginas_del_indice() -> list[str]:
    indice = yaml.safe_load((RAIZ / "_toc.yml").read_text(encoding="utf-8"))
    return [p for p in libro.archivos_del_indice(indice) if p.startswith(("modules/", "exercises/"))]


def _sin_markdown(linea: str) -> str:
    linea = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", linea)  # links keep their text
    linea = re.sub(r"\{[a-z]+\}`([^`<]*)(?:<[^>]*>)?`", r"\1", linea)  # roles keep their text
    return re.sub(r"[*_`#>]", " ", linea)


def _titulo_y_frase(pagina: str) -> tuple[str, str]:
    """The page's title and the first words of its first paragraph, from the notebook itself."""
    cuaderno = nbformat.read(RAIZ / f"{pagina}.ipynb", as_version=4)
    titulo, frase = "", ""
    for celda in cuaderno.cells:
        if celda.cell_type != "markdown":
            continue
        for linea in celda.source.splitlines():
            if not titulo and linea.startswith("# "):
                titulo = _sin_markdown(linea)
            elif titulo and len(linea) > 60 and not linea.startswith(("#", ":", "|", "-", "!", "<", "$")):
                frase = " ".join(_palabras(_sin_markdown(linea)).split()[:8])
                return _palabras(titulo), frase
    return _palabras(titulo), frase


def _titulos_del_esquema(esquema) -> list[str]:
    titulos = []
    for entrada in esquema:
        if isinstance(entrada, list):
            titulos.extend(_titulos_del_esquema(entrada))
        else:
            titulos.append(entrada.title)
    return titulos


def test_el_pdf_tiene_un_numero_de_paginas_sensato(pdf_estudiante):
    from pypdf import PdfReader

    paginas = len(PdfReader(pdf_estudiante).pages)
    # Six modules, their exercises and the guides: a few hundred A4 pages, not one nor thousands.
    assert 100 <= paginas <= 800, paginas


def test_el_esquema_tiene_cada_modulo_y_cada_ejercicio(pdf_estudiante):
    from pypdf import PdfReader

    titulos = [_palabras(t) for t in _titulos_del_esquema(PdfReader(pdf_estudiante).outline)]
    assert "\u00ad" not in "".join(titulos), "los títulos del esquema no deben llevar guiones suaves"
    for pagina in _paginas_del_indice():
        titulo, _ = _titulo_y_frase(pagina)
        assert titulo in titulos, f"{pagina}: «{titulo}» no está en los marcadores del PDF"


def test_el_texto_de_cada_modulo_esta_en_el_pdf(pdf_estudiante):
    texto = _palabras(_texto(pdf_estudiante))
    for pagina in _paginas_del_indice():
        titulo, frase = _titulo_y_frase(pagina)
        assert titulo in texto, f"falta el título de {pagina}"
        assert frase and frase in texto, f"falta en el PDF la frase de {pagina}: «{frase}»"


def test_el_indice_enlaza_con_los_capitulos(pdf_estudiante):
    from pypdf import PdfReader

    lector = PdfReader(pdf_estudiante)
    destinos = lector.named_destinations
    internos = []
    for pagina in lector.pages:
        for anotacion in pagina.get("/Annots") or []:
            objeto = anotacion.get_object()
            if objeto.get("/Subtype") == "/Link" and "/Dest" in objeto:
                internos.append(str(objeto["/Dest"]))
    assert len(internos) >= len(_paginas_del_indice())
    rotos = [d for d in internos if d not in destinos]
    assert not rotos, f"enlaces internos sin destino: {rotos[:5]}"
    # The table of contents links to every chapter and exercise page.
    for pagina in _paginas_del_indice():
        assert f"/document-{pagina}" in internos, f"el índice no enlaza con {pagina}"


def test_cada_pagina_lleva_su_numero(pdf_estudiante):
    from pypdf import PdfReader

    total = len(PdfReader(pdf_estudiante).pages)
    paginas = _texto_crudo(pdf_estudiante).split("\f")
    for numero in (1, total // 2, total):
        assert f"Página {numero} de {total}" in paginas[numero - 1], numero


def test_el_texto_esta_silabeado_en_espanol(pdf_estudiante):
    crudo = _texto_crudo(pdf_estudiante)
    assert "\u00ad" in crudo
    # Chromium prints a hyphen where it breaks a line at a soft hyphen: "persona\xad‐\nlización".
    partidas = [
        (antes.replace("\u00ad", ""), despues)
        for antes, despues in re.findall(
            r"(?<![\w\u00ad])([A-Za-zÁÉÍÓÚÑÜáéíóúñü\u00ad]{2,})\u00ad[\u2010-]\n([a-záéíóúñü]{2,})", crudo
        )
    ]
    assert len(partidas) >= 50, partidas[:10]
    # No break is made against Spanish syllables (pyphen's dictionary): "per-sona", never "pe-rsona".
    import pyphen

    diccionario = pyphen.Pyphen(lang="es")
    # A few breaks come from words glued to a name or a symbol in the extracted text: allow 5 %.
    fuera = [f"{a}-{d}" for a, d in partidas if len(a) not in diccionario.positions((a + d).lower())]
    assert len(fuera) <= len(partidas) // 20, f"cortes fuera de sílaba: {fuera[:10]}"


def test_los_formularios_se_imprimen_sin_errores(pdf_estudiante):
    texto = _texto(pdf_estudiante)
    assert "Error displaying widget" not in texto
    assert "Traceback" not in texto


def test_el_pdf_del_estudiante_no_tiene_soluciones(pdf_estudiante, pdf_soluciones, tmp_path):
    for nombre, pdf in (("estudiante", pdf_estudiante), ("soluciones", pdf_soluciones)):
        carpeta = tmp_path / nombre
        carpeta.mkdir()
        # -layout keeps a code line whole (a hint comment "#  def f(x):" stays one line, as in the page)
        texto = _texto_crudo(pdf, "-layout").replace("\u00ad", "")
        (carpeta / "libro.txt").write_text(
            re.sub(r"(\w)[\u2010-]\n\s*(\w)", r"\1\2", texto), encoding="utf-8"
        )
    fugas = buscar_fugas([tmp_path / "estudiante"], raiz=RAIZ)
    assert fugas == [], "\n".join(map(str, fugas[:10]))
    # The same check does find the solutions in the solutions edition: it can fail.
    assert buscar_fugas([tmp_path / "soluciones"], raiz=RAIZ)
    assert pdf_soluciones.parent == RAIZ / "_build" / "soluciones" / "pdf"

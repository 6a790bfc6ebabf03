"""Ninguna solución ni prueba oculta llega a los estudiantes: ni en ``exercises/`` ni en el libro construido."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import nbformat
import pytest

from cj_course import ErrorCurso
from cj_course.calificacion.fugas import buscar_fugas, lineas_protegidas

RAIZ = Path(__file__).resolve().parent.parent


def test_exercises_y_el_libro_no_tienen_fugas():
    # The default folders: exercises/ and, when the book has been built, _build/html.
    fugas = buscar_fugas()
    assert fugas == [], "\n".join(map(str, fugas[:20]))


def test_las_lineas_protegidas_son_las_de_soluciones_y_pruebas_ocultas():
    protegidas = lineas_protegidas(RAIZ)
    tipos = set(protegidas.values())
    assert tipos == {"solución", "prueba oculta"}
    # A hidden test line and a solution line of module 5 are protected ...
    assert any("_metricas.tasa_conversion(_otros" in linea for linea in protegidas)
    assert protegidas.get("return 100 * (promotores - detractores)") == "solución"
    # ... but lines students see anyway (outside the regions) are not.
    assert "segmentacion = formulario_segmentos.respuesta" not in protegidas
    assert all(len(linea) >= 14 for linea in protegidas)


@pytest.fixture
def copia_de_exercises(tmp_path) -> Path:
    destino = tmp_path / "exercises"
    shutil.copytree(RAIZ / "exercises", destino)
    return destino


def _primera_linea(tipo: str) -> str:
    return next(linea for linea, t in sorted(lineas_protegidas(RAIZ).items()) if t == tipo)


def test_detecta_codigo_de_solucion_y_marcadores_en_un_cuaderno(copia_de_exercises):
    ruta = copia_de_exercises / "m5_medicion" / "ejercicios_m5.ipynb"
    nb = nbformat.read(str(ruta), as_version=4)
    solucion = "return 100 * (promotores - detractores)"
    nb.cells[3].source += f"\n    {solucion}\n### BEGIN SOLUTION"
    nbformat.write(nb, str(ruta))
    fugas = buscar_fugas([copia_de_exercises], raiz=RAIZ)
    assert {(f.archivo, f.motivo, f.texto) for f in fugas} == {
        (ruta, "código de solución", solucion),
        (ruta, "marcador de nbgrader", "### BEGIN SOLUTION"),
    }


def test_detecta_pruebas_ocultas_en_el_html_del_libro(tmp_path):
    oculta = _primera_linea("prueba oculta")
    pagina = tmp_path / "html" / "ejercicios.html"
    pagina.parent.mkdir()
    # Syntax highlighting splits code into spans and escapes it: the check reads the page's text.
    resaltada = "".join(f'<span class="n">{c}</span>' if c.isalpha() else html.escape(c) for c in oculta)
    pagina.write_text(f"<html><body><pre>{resaltada}</pre></body></html>", encoding="utf-8")
    fugas = buscar_fugas([tmp_path / "html"], raiz=RAIZ)
    assert [(f.motivo, f.texto) for f in fugas] == [("código de prueba oculta", oculta)]


def test_la_orden_fugas_informa_y_falla_si_hay_fugas(copia_de_exercises):
    from typer.testing import CliRunner

    from cj_course.cli import app

    resultado = CliRunner().invoke(app, ["fugas", "--curso", str(RAIZ), str(copia_de_exercises)])
    assert resultado.exit_code == 0 and "Sin fugas" in resultado.output
    (copia_de_exercises / "notas.md").write_text("### END HIDDEN TESTS\n", encoding="utf-8")
    resultado = CliRunner().invoke(app, ["fugas", "--curso", str(RAIZ), str(copia_de_exercises)])
    assert resultado.exit_code == 1
    salida = resultado.output
    assert "marcador de nbgrader: '### END HIDDEN TESTS'" in salida and "1 fuga encontrada." in salida


@pytest.mark.parametrize(
    ("texto", "fugas"),
    [
        ("<pre><span>### BEGIN SOLUTION</span>\nx = 1</pre>", ["### BEGIN SOLUTION"]),
        ("<h3>END HIDDEN TESTS</h3>", ["END HIDDEN TESTS"]),  # a markdown marker rendered as a heading
        ("<p>Los marcadores de nbgrader (<code>BEGIN SOLUTION</code>) separan la solución.</p>", []),
    ],
)
def test_marcadores_de_verdad_y_menciones_en_el_texto(tmp_path, texto, fugas):
    (tmp_path / "pagina.html").write_text(f"<html><body>{texto}</body></html>", encoding="utf-8")
    encontradas = buscar_fugas([tmp_path], raiz=RAIZ)
    assert sorted({f.texto.strip() for f in encontradas if f.motivo == "marcador de nbgrader"}) == fugas


def test_una_carpeta_que_no_existe_es_un_error_claro(tmp_path):
    with pytest.raises(ErrorCurso, match="No existe la carpeta"):
        buscar_fugas([tmp_path / "no_existe"], raiz=RAIZ)

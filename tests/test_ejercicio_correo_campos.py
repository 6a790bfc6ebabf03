"""El correo del módulo 4 se califica con los datos de clientes que declaró el estudiante.

Quien declara en el formulario «Datos de tus clientes» (``nombre, empresa``) y escribe ``{empresa}``
pasa el formulario; las celdas de prueba del ejercicio deben darle los mismos puntos. Se califica como
lo hace el calificador: las celdas fijas del cuaderno fuente se vuelven a ejecutar en la carpeta de la
entrega y la respuesta llega como datos exportados (:mod:`cj_course.calificacion.calificar.confiable`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cj_course import CorreoBienvenida
from cj_course.calificacion.arnes import a_datos
from cj_course.calificacion.calificar.confiable import Exportacion, evaluar, preparar
from cj_course.widgets import FormularioCorreo

RAIZ = Path(__file__).resolve().parent.parent
FUENTE = RAIZ / "solutions" / "m4_optimizacion" / "ejercicios_m4.ipynb"
PRUEBAS = ("m4_prueba_correo_partes", "m4_prueba_correo")


@pytest.fixture(scope="module")
def especificacion():
    espec = preparar(FUENTE, "m4_optimizacion")
    assert not espec.avisos, espec.avisos  # the reference solution still gets every point
    return espec


def _entrega(
    carpeta: Path, monkeypatch, campos: str, asunto: str, cuerpo: str, oferta: str
) -> CorreoBienvenida:
    """A student's folder after using the form: the saved e-mail and the project with its fields."""
    monkeypatch.chdir(carpeta)
    formulario = FormularioCorreo("m4_correo")
    formulario.campos_clientes.value = campos
    formulario.controles["asunto"].value = asunto
    formulario.controles["cuerpo"].value = cuerpo
    formulario.controles["oferta"].value = oferta
    correo = formulario.respuesta
    assert isinstance(correo, CorreoBienvenida)
    return correo


def _calificar(espec, carpeta: Path, correo: CorreoBienvenida) -> dict[str, float]:
    exportado = {g: Exportacion(valores={"correo": a_datos(correo)}) for g in PRUEBAS}
    veredictos = evaluar(espec, exportado, carpeta, "sin exportación")
    return {g: veredictos[g].puntos for g in PRUEBAS}


def test_con_los_datos_declarados_el_correo_saca_todos_los_puntos(especificacion, tmp_path, monkeypatch):
    correo = _entrega(
        tmp_path,
        monkeypatch,
        "nombre, empresa",
        "Bienvenida, {nombre}",
        "Hola, {nombre}: el equipo de {empresa} ya tiene {oferta}.",
        "un mes gratis",
    )
    assert "✘" not in FormularioCorreo("m4_correo")._informe.value  # the form is happy with it
    assert _calificar(especificacion, tmp_path, correo) == {g: 3.0 for g in PRUEBAS}


def test_un_dato_no_declarado_sigue_sin_puntos(especificacion, tmp_path, monkeypatch):
    # {cargo} is neither declared nor a field of the course's customers: it cannot be filled in.
    correo = _entrega(
        tmp_path,
        monkeypatch,
        "nombre, empresa",
        "Bienvenida, {nombre}",
        "Hola, {nombre} ({cargo}): el equipo de {empresa} ya tiene {oferta}.",
        "un mes gratis",
    )
    puntos = _calificar(especificacion, tmp_path, correo)
    assert puntos["m4_prueba_correo_partes"] == 2.0 and puntos["m4_prueba_correo"] == 0.0


def test_sin_datos_declarados_valen_las_clientas_del_curso(especificacion, tmp_path, monkeypatch):
    (tmp_path / "bien").mkdir()
    propio = _entrega(
        tmp_path / "bien",
        monkeypatch,
        "",
        "{nombre}, bienvenida",
        "Hola, {nombre}: para tu primera compra en {ciudad} tienes {oferta}.",
        "un 10 % de descuento",
    )
    assert _calificar(especificacion, tmp_path / "bien", propio) == {g: 3.0 for g in PRUEBAS}
    # Without declaring it, {empresa} is not a datum of the sample customers: no points for filling in.
    (tmp_path / "sin_declarar").mkdir()
    ajeno = _entrega(
        tmp_path / "sin_declarar",
        monkeypatch,
        "",
        "{nombre}, bienvenida",
        "Hola, {nombre}: en {empresa} tienes {oferta}.",
        "un 10 % de descuento",
    )
    puntos = _calificar(especificacion, tmp_path / "sin_declarar", ajeno)
    assert puntos["m4_prueba_correo_partes"] == 2.0 and puntos["m4_prueba_correo"] == 0.0

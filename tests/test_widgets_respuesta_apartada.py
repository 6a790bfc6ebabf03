"""``Formulario.motivo_sin_respuesta``: cuando no hay respuesta, el estudiante sabe por qué y qué hacer.

Sobre todo cuando la respuesta guardada estaba dañada o era de otro tipo: el formulario la aparta
(``respuestas/<ejercicio>.json.corrupto-<fecha>``, nunca la borra) y el mensaje dice dónde quedó. Lo
apartado se busca en la carpeta, así que lo dice también un formulario creado después sobre la misma
carpeta (como hace el calificador con su copia de la entrega).
"""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from cj_course import MetricaElegida, Persona, PlanDeMetricas, guardar_respuesta
from cj_course.widgets import FormularioMetricas, FormularioPersona

PERSONA = Persona(
    "Daniela",
    edad=33,
    ocupacion="Contadora",
    ubicacion="Zapopan",
    intereses=["yoga"],
    canales=["Instagram"],
    segmento="Profesionistas urbanas",
)


@pytest.fixture(autouse=True)
def _en_carpeta_temporal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages give paths relative to the notebook's folder


def _apartados(carpeta: Path, ejercicio: str) -> list[Path]:
    return sorted((carpeta / "respuestas").glob(f"{ejercicio}.json.corrupto-*"))


def test_con_respuesta_no_hay_motivo(tmp_path):
    guardar_respuesta("m3_persona", PERSONA, carpeta=tmp_path)
    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    assert formulario.respuesta == PERSONA
    assert formulario.motivo_sin_respuesta == ""


def test_sin_nada_guardado_dice_que_falta_y_donde_se_guarda(tmp_path):
    motivo = FormularioPersona("m3_persona", carpeta=tmp_path).motivo_sin_respuesta
    assert motivo.startswith("Todavía no hay respuesta")
    assert "«Tu buyer persona»" in motivo and "respuestas/m3_persona.json" in motivo
    assert "apart" not in motivo  # nothing was set aside


@pytest.mark.parametrize(
    "contenido",
    [b"{roto", b"\xff\xfe no es texto", b'{"tipo": "Persona"}'],
    ids=["json-roto", "bytes", "incompleto"],
)
def test_un_archivo_danado_se_aparta_y_el_mensaje_dice_donde(tmp_path, contenido):
    ruta = tmp_path / "respuestas" / "m3_persona.json"
    ruta.parent.mkdir()
    ruta.write_bytes(contenido)
    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    assert formulario.respuesta is None
    (apartado,) = _apartados(tmp_path, "m3_persona")
    assert apartado.read_bytes() == contenido and not ruta.exists()  # kept whole, never overwritten
    motivo = formulario.motivo_sin_respuesta
    assert "dañada o era de otro ejercicio" in motivo
    assert (
        f"respuestas/{apartado.name}" in motivo
        and "Vuelve a completar el formulario «Tu buyer persona»" in motivo
    )
    assert "Todavía no hay respuesta" not in motivo


def test_una_respuesta_de_otro_tipo_tambien_se_aparta(tmp_path):
    # A persona saved where the metrics form expects its plan (e.g. a file copied by hand).
    guardar_respuesta("m5_metricas", PERSONA, carpeta=tmp_path)
    formulario = FormularioMetricas("m5_metricas", carpeta=tmp_path)
    assert formulario.respuesta is None
    (apartado,) = _apartados(tmp_path, "m5_metricas")
    assert Persona.desde_json(apartado.read_bytes()) == PERSONA
    motivo = formulario.motivo_sin_respuesta
    assert f"respuestas/{apartado.name}" in motivo and "«Tus métricas clave»" in motivo


def test_lo_dice_tambien_un_formulario_creado_despues(tmp_path):
    """The grader runs the form cell again on a copy where the student's kernel already set the file aside."""
    ruta = tmp_path / "respuestas" / "m3_persona.json"
    ruta.parent.mkdir()
    ruta.write_text("{roto", encoding="utf-8")
    FormularioPersona("m3_persona", carpeta=tmp_path)  # the student's kernel
    (apartado,) = _apartados(tmp_path, "m3_persona")
    despues = FormularioPersona("m3_persona", carpeta=tmp_path)  # the grader's run
    assert despues.respuesta is None and f"respuestas/{apartado.name}" in despues.motivo_sin_respuesta


def test_el_mas_reciente_de_varios_apartados(tmp_path):
    carpeta = tmp_path / "respuestas"
    carpeta.mkdir()
    viejo = carpeta / "m3_persona.json.corrupto-20250101-000000"
    viejo.write_text("{", encoding="utf-8")
    os.utime(viejo, (1_700_000_000, 1_700_000_000))  # set aside long ago
    (carpeta / "m3_persona.json").write_text("[", encoding="utf-8")
    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    nuevo = next(p for p in _apartados(tmp_path, "m3_persona") if p != viejo)
    assert nuevo.name in formulario.motivo_sin_respuesta and viejo.name not in formulario.motivo_sin_respuesta


def test_un_formulario_a_medias_dice_que_falta(tmp_path):
    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    formulario.controles["ocupacion"].value = "Contadora"  # no name yet: not an answer
    assert formulario.respuesta is None
    motivo = formulario.motivo_sin_respuesta
    assert "todavía no forma una respuesta" in motivo and "Tu persona necesita un nombre." in motivo


def test_un_formulario_vaciado_recuerda_el_boton_de_recuperar(tmp_path):
    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    formulario.controles["nombre"].value = "Daniela"
    assert formulario.respuesta is not None and formulario.motivo_sin_respuesta == ""
    formulario.controles["nombre"].value = ""
    assert formulario.respuesta is None
    assert "«Recuperar la última respuesta completa»" in formulario.motivo_sin_respuesta


def test_el_plan_completo_no_tiene_motivo(tmp_path):
    plan = PlanDeMetricas([MetricaElegida("NPS", como="encuesta tras la entrega", herramienta="Klaviyo")])
    guardar_respuesta("m5_metricas", plan, carpeta=tmp_path)
    assert FormularioMetricas("m5_metricas", carpeta=tmp_path).motivo_sin_respuesta == ""


def test_el_ejemplo_de_la_documentacion():
    from cj_course.widgets import _base

    pruebas = doctest.DocTestFinder().find(
        _base.Formulario.motivo_sin_respuesta.fget, "motivo_sin_respuesta", globs=vars(_base).copy()
    )
    corredor = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for prueba in pruebas:
        corredor.run(prueba)
    assert corredor.summarize(verbose=False).attempted >= 5
    assert corredor.summarize(verbose=False).failed == 0

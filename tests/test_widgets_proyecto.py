"""Los formularios leen y amplían «Mi negocio»: lo que guarda uno lo ofrece el siguiente (sin navegador).

Segmentos → la persona ofrece tus segmentos; persona → el mapa ofrece tus personas; los datos de tus
clientes → el correo acepta ``{empresa}``; el mapa → las métricas ofrecen sus etapas. Un proyecto dañado
nunca rompe un formulario, y responder en código da el mismo proyecto que los formularios.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cj_course import Interaccion, MapaDeViaje, MetricaElegida, Persona, PlanDeMetricas
from cj_course.modelo import CorreoBienvenida, Segmentacion, Segmento
from cj_course.proyecto import cargar_proyecto, llevar_al_proyecto, ruta_proyecto
from cj_course.widgets import (
    FormularioCorreo,
    FormularioMapa,
    FormularioMetricas,
    FormularioPersona,
    FormularioSegmentos,
)


@pytest.fixture(autouse=True)
def en_carpeta(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _segmentos(formulario: FormularioSegmentos, *nombres: str) -> None:
    for fila, nombre in zip(formulario.segmentos, nombres, strict=False):
        fila["nombre"].value = nombre
        fila["demograficos"].value = "25-40 años, ciudad"


def _persona(formulario: FormularioPersona, nombre: str, segmento: str) -> None:
    c = formulario.controles
    c["nombre"].value = nombre
    c["edad"].value = "31"
    c["ocupacion"].value = "Contadora"
    c["ubicacion"].value = "Zapopan"
    c["intereses"].value = "yoga, series"
    c["segmento"].value = segmento


def _mapa_por_clics(formulario: FormularioMapa, persona: str, modelo: str = "clasico") -> None:
    formulario.modelo.value = modelo
    formulario.persona.value = persona
    for _nombre, clave in formulario._opciones_etapas(modelo):
        formulario.etapa_nueva.value = clave
        formulario.boton_anadir.click()
        fila = formulario.filas[-1]
        fila["canal"].value = "Instagram"
        fila["accion"].value = f"Hace algo en {clave}"


def test_sin_proyecto_los_formularios_son_los_de_siempre_con_una_pista(en_carpeta):
    persona = FormularioPersona("m3_persona")
    assert persona.controles["segmento"].options == ()
    assert "Todavía no tienes un proyecto" in persona._nota_proyecto.value
    assert "guardes tus segmentos" in persona._nota_proyecto.value
    metricas = FormularioMetricas("m5_metricas")
    assert [c for _n, c in metricas.metricas[0]["etapas"].options] == [
        "conciencia",
        "consideracion",
        "decision",
        "compra",
        "post_compra",
        "lealtad",
    ]
    # Making and showing forms writes nothing.
    assert not (en_carpeta / "respuestas").exists()


def test_la_persona_ofrece_tus_segmentos_despues_de_guardarlos(en_carpeta):
    segmentos = FormularioSegmentos("m3_segmentos")
    _segmentos(segmentos, "Oficinistas", "Estudiantes", "Jubilados")
    proyecto, aviso = cargar_proyecto()
    assert aviso is None and proyecto.nombres_segmentos() == ["Oficinistas", "Estudiantes", "Jubilados"]
    # A new persona form (the next cell, or after a restart) offers them ...
    persona = FormularioPersona("m3_persona")
    assert list(persona.controles["segmento"].options) == ["Oficinistas", "Estudiantes", "Jubilados"]
    assert "elige uno de tus 3 segmentos" in persona._nota_proyecto.value
    _persona(persona, "Laura", "oficinistas")  # case and accents do not matter
    assert "Pertenece a tu segmento" in persona._informe.value
    # ... and the persona is in the project, linked to the segment as it is spelled there.
    guardada = cargar_proyecto()[0].persona("Laura")
    assert guardada.segmento == "Oficinistas"


def test_la_persona_se_vuelve_a_comprobar_cuando_cambian_los_segmentos(en_carpeta):
    segmentos = FormularioSegmentos("m3_segmentos")
    _segmentos(segmentos, "Oficinistas", "Estudiantes", "Jubilados")
    persona = FormularioPersona("m3_persona")
    _persona(persona, "Laura", "Oficinistas")
    assert "Pertenece a tu segmento" in persona._informe.value
    # The student renames the segment in the form above: the persona form, already shown, follows.
    segmentos.segmentos[0]["nombre"].value = "Trabajadores de oficina"
    assert "Trabajadores de oficina" in persona.controles["segmento"].options
    assert "que no está entre tus segmentos" in persona._informe.value


def test_el_mapa_ofrece_tus_personas_y_se_enlaza_a_la_del_proyecto(en_carpeta):
    _segmentos(FormularioSegmentos("m3_segmentos"), "Oficinistas", "Estudiantes", "Jubilados")
    _persona(FormularioPersona("m3_persona"), "Laura", "Oficinistas")
    mapa = FormularioMapa("m3_mapa", figura="boton")
    assert list(mapa.persona.options) == ["Laura"]
    _mapa_por_clics(mapa, "Laura")
    proyecto = cargar_proyecto()[0]
    enlazado = proyecto.mapa_de("Laura")
    assert enlazado is not None and len(enlazado.interacciones) == 6
    assert enlazado.persona.ocupacion == "Contadora"  # the project's persona, not a bare name


def test_el_correo_acepta_empresa_cuando_declaras_el_campo(en_carpeta):
    correo = FormularioCorreo("m4_correo")
    correo.controles["asunto"].value = "Bienvenida, {nombre}"
    correo.controles["cuerpo"].value = "Hola, {nombre}: el equipo de {empresa} ya tiene {oferta}."
    correo.controles["oferta"].value = "un mes gratis"
    # The course's sample customers have no company: the check says so.
    assert "{empresa}" in correo._informe.value and "✘" in correo._informe.value
    correo.campos_clientes.value = "nombre, empresa, cargo"
    assert "✘" not in correo._informe.value, correo._informe.value
    assert "(empresa)" in correo.vista.value and "<code>{cargo}</code>" in correo._marcadores.value
    # The module 4 check cells grade with the same customers as the preview: nothing to warn about.
    assert "clientas de ejemplo del curso" not in correo._informe.value
    proyecto = cargar_proyecto()[0]
    assert proyecto.campos_clientes == ["nombre", "empresa", "cargo"]
    assert proyecto.correo.cuerpo.endswith("{oferta}.")
    # The next time (another notebook, a restart) the fields come from the project.
    otra_vez = FormularioCorreo("m4_correo")
    assert otra_vez.campos_clientes.value == "nombre, empresa, cargo"
    assert "✘" not in otra_vez._informe.value


def test_las_metricas_ofrecen_las_etapas_de_tu_mapa(en_carpeta):
    _segmentos(FormularioSegmentos("m3_segmentos"), "Pymes", "Distribuidores", "Tiendas")
    _persona(FormularioPersona("m3_persona"), "Carlos", "Pymes")
    metricas = FormularioMetricas("m5_metricas")  # shown before the map exists: the six course stages
    _mapa_por_clics(FormularioMapa("m3_mapa", figura="boton"), "Carlos", modelo="spark")
    esperadas = ["prospeccion", "evaluacion", "compra", "entrega", "post_compra"]
    assert [c for _n, c in metricas.metricas[0]["etapas"].options] == esperadas  # followed the map
    assert [c for _n, c in FormularioMetricas("m5_metricas").metricas[0]["etapas"].options] == esperadas
    fila = metricas.metricas[0]
    fila["metrica"].value = "Tasa de conversión"
    fila["herramienta"].value = "Google Analytics"
    fila["etapas"].value = ("evaluacion", "compra")
    proyecto = cargar_proyecto()[0]
    assert proyecto.etapas_de("Tasa de conversión") == ["evaluacion", "compra"]
    # After a restart the stages are back in the row.
    assert FormularioMetricas("m5_metricas").metricas[0]["etapas"].value == ("evaluacion", "compra")


def test_un_proyecto_danado_no_rompe_el_formulario(en_carpeta):
    (en_carpeta / "respuestas").mkdir()
    (en_carpeta / "respuestas" / "mi_negocio.json").write_text("{roto", encoding="utf-8")
    persona = FormularioPersona("m3_persona")
    assert "no se pudo leer" in persona._aviso.value and "aparte" in persona._aviso.value
    apartados = list((en_carpeta / "respuestas").glob("mi_negocio.json.corrupto-*"))
    assert len(apartados) == 1 and apartados[0].read_text(encoding="utf-8") == "{roto"
    _persona(persona, "Laura", "Oficinistas")  # works as without a project, and starts a new one
    assert persona.respuesta.nombre == "Laura"
    assert cargar_proyecto()[0].nombres_personas() == ["Laura"]


def test_en_codigo_se_llega_al_mismo_proyecto(en_carpeta, tmp_path_factory):
    _segmentos(FormularioSegmentos("m3_segmentos"), "Oficinistas", "Estudiantes", "Jubilados")
    _persona(FormularioPersona("m3_persona"), "Laura", "Oficinistas")
    por_formularios = cargar_proyecto()[0]
    en_codigo = tmp_path_factory.mktemp("en_codigo")
    llevar_al_proyecto(
        Segmentacion(
            [
                Segmento(n, demograficos=["25-40 años", "ciudad"])
                for n in ("Oficinistas", "Estudiantes", "Jubilados")
            ]
        ),
        en_codigo,
    )
    llevar_al_proyecto(
        Persona(
            "Laura",
            edad=31,
            ocupacion="Contadora",
            ubicacion="Zapopan",
            intereses=["yoga", "series"],
            segmento="Oficinistas",
        ),
        en_codigo,
    )
    assert cargar_proyecto(en_codigo)[0] == por_formularios


def test_el_proyecto_pasa_de_una_tarea_a_la_siguiente(tmp_path, monkeypatch):
    m3, m4 = tmp_path / "m3_mapeo", tmp_path / "m4_optimizacion"
    m3.mkdir(), m4.mkdir()
    monkeypatch.chdir(m3)
    _segmentos(FormularioSegmentos("m3_segmentos"), "Oficinistas", "Estudiantes", "Jubilados")
    monkeypatch.chdir(m4)
    assert ruta_proyecto() == m3 / "respuestas" / "mi_negocio.json"
    correo = FormularioCorreo("m4_correo")
    assert "Tu proyecto «Mi negocio»" in correo._nota_proyecto.value
    correo.controles["asunto"].value = "Hola, {nombre}"
    correo.controles["cuerpo"].value = "Gracias, {nombre}. Tienes {oferta}."
    correo.controles["oferta"].value = "10 % de descuento"
    # m4 keeps its own copy (it is what m4's folder takes along), with m3's segments in it.
    propio = json.loads((m4 / "respuestas" / "mi_negocio.json").read_text(encoding="utf-8"))
    assert [s["nombre"] for s in propio["segmentos"]] == ["Oficinistas", "Estudiantes", "Jubilados"]
    assert ruta_proyecto() == m4 / "respuestas" / "mi_negocio.json"
    # A folder that is not one of the course's exercises never looks at its neighbours.
    fuera = tmp_path / "otra_cosa"
    fuera.mkdir()
    assert ruta_proyecto(fuera) == fuera / "respuestas" / "mi_negocio.json"


def test_lo_que_no_es_pieza_del_proyecto_se_explica(en_carpeta):
    from cj_course import ErrorCurso

    with pytest.raises(ErrorCurso, match="no es una pieza del proyecto"):
        llevar_al_proyecto(Interaccion("compra", "Web", "Paga"))
    assert llevar_al_proyecto(PlanDeMetricas([MetricaElegida("NPS")]), etapas={"NPS": ["lealtad"]}).etapas_de(
        "NPS"
    ) == ["lealtad"]
    assert isinstance(
        llevar_al_proyecto(CorreoBienvenida("Hola", "Hola {nombre}"), campos=["nombre"]).correo,
        CorreoBienvenida,
    )
    assert Path("respuestas/mi_negocio.json").exists()
    assert MapaDeViaje  # the map's path is covered by the forms above

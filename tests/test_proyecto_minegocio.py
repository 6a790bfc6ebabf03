"""«Mi negocio»: el proyecto que enlaza segmentos, personas, mapas, correo y métricas (issue 16)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cj_course import (
    CorreoBienvenida,
    ErrorCurso,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    Segmento,
    mapa_ejemplo,
    validar,
)
from cj_course.datos.mapas import mapa_nubestock, mapa_zapatos
from cj_course.persistencia import ruta_respuesta
from cj_course.proyecto import (
    EJERCICIO_PROYECTO,
    MiNegocio,
    cargar_proyecto,
    comprobar_proyecto,
    guardar_proyecto,
    mapa_a_csv,
    mapa_desde_csv,
    mapa_desde_json,
    pendientes,
    proyecto_ejemplo,
)


def _sugerencias(proyecto: MiNegocio) -> list:
    return [c for c in comprobar_proyecto(proyecto).comprobaciones if not c.ok and not c.obligatoria]


def _con_mensaje(comprobaciones, texto: str):
    encontradas = [c for c in comprobaciones if texto in c.mensaje]
    assert encontradas, f"ninguna comprobación dice {texto!r}: {[c.mensaje for c in comprobaciones]}"
    return encontradas[0]


# --- the two worked examples ---------------------------------------------------------------


@pytest.mark.parametrize(("nombre", "mercado"), [("zapatos", "B2C"), ("nubestock", "B2B")])
def test_los_ejemplos_estan_completos_y_sin_pendientes(nombre, mercado):
    proyecto = proyecto_ejemplo(nombre)
    assert proyecto.mercado == mercado
    informe = comprobar_proyecto(proyecto)
    assert informe.ok, informe.texto()
    assert pendientes(proyecto) == [], informe.texto()
    assert len(proyecto.segmentos) == 3 and proyecto.personas and proyecto.mapas and proyecto.correo
    assert len(proyecto.metricas.metricas) == 3
    # every persona of an example has its map, and every stage of it a metric
    for persona in proyecto.personas:
        assert proyecto.mapa_de(persona.nombre) is not None
    for etapa in proyecto.etapas():
        assert proyecto.metricas_de_etapa(etapa), etapa


def test_los_ejemplos_usan_los_mapas_de_los_casos_del_curso():
    # The shipped JSON must tell the same story as cj_course.datos.mapas, not a copy that drifts.
    zapatos, nube = proyecto_ejemplo("zapatos"), proyecto_ejemplo("nubestock")
    assert zapatos.mapa_de("Fernanda").interacciones == mapa_zapatos().interacciones
    assert zapatos.persona("Fernanda") == mapa_zapatos().persona
    assert nube.mapa_de("Andrés").interacciones == mapa_nubestock().interacciones
    assert nube.persona("Andrés") == mapa_nubestock().persona
    assert zapatos.mapa_de("maria").interacciones == mapa_ejemplo().interacciones  # accents and case ignored


def test_el_correo_b2b_usa_los_campos_de_sus_clientes():
    nube = proyecto_ejemplo("nubestock")
    assert {"empresa", "cargo", "plan"} <= nube.correo.marcadores()
    asunto, cuerpo = nube.correo.renderizar(nube.clientes_muestra[0])
    assert "Distribuidora El Valle" in asunto and "Jefe de compras" in cuerpo
    assert "empresa" in nube.campos_del_correo() and "oferta" in nube.campos_del_correo()


def test_proyecto_ejemplo_desconocido_es_un_error_en_espanol():
    with pytest.raises(ErrorCurso, match="No hay un proyecto de ejemplo") as e:
        proyecto_ejemplo("panaderia")
    assert "zapatos" in e.value.pista and "nubestock" in e.value.pista


# --- JSON round trip and links -------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["zapatos", "nubestock"])
def test_ida_y_vuelta_json(nombre):
    proyecto = proyecto_ejemplo(nombre)
    otra = MiNegocio.desde_json(proyecto.a_json())
    assert otra == proyecto
    assert validar(otra).texto() == validar(proyecto).texto()


def test_el_mapa_enlaza_a_la_persona_del_proyecto_por_su_nombre():
    proyecto = proyecto_ejemplo("zapatos")
    assert proyecto.mapa_de("Fernanda").persona is proyecto.persona("Fernanda")
    datos = json.loads(proyecto.a_json())
    # the persona is written once; the map only names it
    assert [m["persona"] for m in datos["mapas"]] == [{"nombre": "Fernanda"}, {"nombre": "María"}]
    # an edit of the persona is seen by its map, after a round trip too
    proyecto.persona("Fernanda").edad = 22
    otra = MiNegocio.desde_json(proyecto.a_json())
    assert otra.mapa_de("Fernanda").persona.edad == 22


def test_agregar_reemplaza_por_nombre_y_enlaza():
    p = MiNegocio("Café La Loma", mercado="b2c")
    p.agregar_segmento(Segmento("Oficinistas", demograficos=["25-40 años"]))
    p.agregar_segmento(Segmento("oficinistas", demograficos=["25-45 años"], conductuales=["a diario"]))
    assert [s.demograficos for s in p.segmentos] == [["25-45 años"]]
    p.agregar_persona(Persona("Laura", edad=31), segmento="OFICINISTAS")
    assert p.personas[0].segmento == "oficinistas"
    p.agregar_mapa(
        MapaDeViaje(interacciones=[Interaccion("conciencia", "Instagram", "Ve el local")]), persona="laura"
    )
    p.agregar_mapa(MapaDeViaje(objetivo="Segundo intento"), persona="Laura")
    assert len(p.mapas) == 1 and p.mapas[0].objetivo == "Segundo intento"
    p.agregar_metrica(
        MetricaElegida("NPS", como="encuesta", herramienta="Typeform"), etapas=["Post-compra", "lealtad"]
    )
    p.agregar_metrica(
        MetricaElegida("nps", como="encuesta mensual", herramienta="Typeform"), etapas="lealtad"
    )
    assert [m.como for m in p.metricas.metricas] == ["encuesta mensual"]
    assert p.etapas_de("NPS") == ["lealtad"]
    p.definir_correo(
        CorreoBienvenida("Hola {nombre}", "Bienvenida"), etapa="Post compra", segmento="oficinistas"
    )
    assert (p.correo_etapa, p.correo_segmento) == ("post_compra", "oficinistas")


@pytest.mark.parametrize(
    ("llamada", "mensaje"),
    [
        (
            lambda p: p.agregar_persona(Persona("Ana"), segmento="Jubilados"),
            "ningún segmento llamado «Jubilados»",
        ),
        (lambda p: p.agregar_mapa(MapaDeViaje(), persona="Nadie"), "ninguna persona llamada «Nadie»"),
        (lambda p: p.agregar_metrica(MetricaElegida("NPS"), etapas=["la de después"]), "NPS"),
    ],
)
def test_enlazar_con_algo_que_no_existe_es_un_error_claro(llamada, mensaje):
    p = MiNegocio("Café", segmentos=[Segmento("Oficinistas")], personas=[Persona("Laura")])
    with pytest.raises(ErrorCurso, match=mensaje) as e:
        llamada(p)
    assert e.value.pista


@pytest.mark.parametrize(
    ("campos", "mensaje"),
    [
        ({"mercado": "B2X"}, "mercado"),
        ({"nombre": "  "}, "vacío"),
        ({"campos_clientes": ["nombre", "tipo de plan"]}, "no sirve como marcador"),
        ({"etapas_de_metricas": {"NPS": ["mañana"]}}, "NPS"),
        ({"etapas_de_metricas": ["NPS"]}, "diccionario"),
        ({"clientes_muestra": ["Ana"]}, "diccionario"),
        ({"segmentos": "Jóvenes"}, "lista de Segmento"),
        ({"presupuesto": 10}, "no tiene el campo"),
    ],
)
def test_entradas_malas_dan_error_curso(campos, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje) as e:
        MiNegocio(**{"nombre": "Café", **campos})
    assert e.value.pista, "cada error dice cómo arreglarlo"


# --- the consistency checks ----------------------------------------------------------------


def test_persona_de_un_segmento_que_no_existe():
    p = proyecto_ejemplo("zapatos")
    p.persona("Fernanda").segmento = "Universitaria"
    c = _con_mensaje(_sugerencias(p), "«Fernanda» es del segmento «Universitaria»")
    assert "¿Quisiste decir 'Universitarias'?" in c.pista
    p.persona("María").segmento = None
    assert (
        "Elige uno de tus segmentos" in _con_mensaje(_sugerencias(p), "«María» no dice a qué segmento").pista
    )


def test_etapa_del_mapa_sin_metrica():
    p = proyecto_ejemplo("zapatos")
    retencion, nps = p.metricas.metricas[1], p.metricas.metricas[2]
    p.agregar_metrica(retencion, etapas=["post_compra"])  # retention no longer measures loyalty
    p.agregar_metrica(nps, etapas=["post_compra"])  # nor NPS
    c = _con_mensaje(_sugerencias(p), "La etapa Lealtad de tu mapa no tiene ninguna métrica")
    assert 'etapas=["lealtad"]' in c.pista
    assert len([x for x in _sugerencias(p) if "no tiene ninguna métrica" in x.mensaje]) == 1


def test_metrica_sin_etapa_y_metrica_enlazada_que_no_esta_en_el_plan():
    p = proyecto_ejemplo("nubestock")
    p.etapas_de_metricas["NPS"] = []
    p.etapas_de_metricas["Churn"] = ["lealtad"]
    sugerencias = _sugerencias(p)
    _con_mensaje(sugerencias, "La métrica «NPS» no dice qué etapa mide")
    _con_mensaje(sugerencias, "«Churn», que no está en tu plan de métricas")


def test_herramienta_que_nunca_mencionaste():
    p = proyecto_ejemplo("zapatos")
    p.metricas.metricas[0].herramienta = "Hotjar"
    c = _con_mensaje(_sugerencias(p), "se mide con «Hotjar», una herramienta que no mencionaste")
    assert "Google Analytics" in c.pista
    # a tool named in the map's channels counts as mentioned
    p.metricas.metricas[0].herramienta = "encuesta por WhatsApp"
    assert not [x for x in _sugerencias(p) if "herramienta que no mencionaste" in x.mensaje]


def test_marcadores_del_correo_que_no_son_campos_de_tus_clientes():
    p = proyecto_ejemplo("zapatos")
    p.correo.cuerpo += " Tu empresa {empresa} merece más."
    c = _con_mensaje(_sugerencias(p), "El correo usa {empresa}, que no es un dato de tus clientes")
    assert "añade «empresa» a los campos" in c.pista
    # declaring the field (and giving it to the sample customers) settles it: B2B fields are any names
    p.campos_clientes.append("empresa")
    for cliente in p.clientes_muestra:
        cliente["empresa"] = "Acme"
    assert comprobar_proyecto(p).ok and pendientes(p) == []


def test_correo_sin_etapa_ni_segmento_y_sin_clientes_de_muestra():
    p = proyecto_ejemplo("nubestock")
    p.correo_etapa, p.correo_segmento, p.clientes_muestra = None, "Grandes", []
    sugerencias = _sugerencias(p)
    _con_mensaje(sugerencias, "no dice en qué etapa se envía")
    assert "Corporativo" in _con_mensaje(sugerencias, "segmento «Grandes»").pista
    _con_mensaje(sugerencias, "clientes de muestra y tienes 0")


def test_mapa_sin_persona_y_persona_sin_mapa():
    p = proyecto_ejemplo("nubestock")
    p.agregar_persona(Persona("Lucía", segmento="Pyme"))
    p.mapas.append(MapaDeViaje(objetivo="Sin dueño"))
    sugerencias = _sugerencias(p)
    _con_mensaje(sugerencias, "La persona «Lucía» todavía no tiene mapa")
    _con_mensaje(sugerencias, "El mapa 2 no dice a qué persona sigue")


def test_un_proyecto_vacio_dice_que_piezas_faltan_y_como_anadirlas():
    informe = validar(MiNegocio("Café La Loma"))
    assert not informe.ok
    faltan = [c for c in informe.fallos]
    assert [c.mensaje.split(":")[0] for c in faltan] == [
        "Segmentos",
        "Personas",
        "Mapas de viaje",
        "Correo de bienvenida",
        "Métricas",
    ]
    assert all("agregar_" in c.pista or "definir_correo" in c.pista for c in faltan)


def test_las_comprobaciones_de_cada_pieza_cuentan_en_el_proyecto():
    p = proyecto_ejemplo("zapatos")
    p.agregar_persona(Persona("Ana", edad=30, segmento="Mamás trabajadoras"))
    c = _con_mensaje(comprobar_proyecto(p).fallos, "Persona «Ana»: Tu persona tiene 2 características")
    assert c.obligatoria
    assert pendientes(p)[0] is not None and pendientes(p)[0].obligatoria  # required ones first


# --- saving in the workspace ---------------------------------------------------------------


def test_guardar_y_cargar(tmp_path):
    proyecto = proyecto_ejemplo("nubestock")
    ruta = guardar_proyecto(proyecto, tmp_path)
    assert ruta == ruta_respuesta(EJERCICIO_PROYECTO, tmp_path)
    assert [x.name for x in ruta.parent.iterdir()] == ["mi_negocio.json"]  # no temporary left behind
    cargado, aviso = cargar_proyecto(tmp_path)
    assert aviso is None and cargado == proyecto
    assert cargar_proyecto(tmp_path / "otra") == (None, None)


@pytest.mark.parametrize(
    "contenido",
    [
        b"{ esto no es json",
        b'{"tipo": "Persona", "nombre": "Ana"}',
        b'{"tipo": "MiNegocio", "nombre": "X", "mercado": "C2C"}',
        b"\xff\xfe",
    ],
)
def test_un_archivo_danado_se_aparta_y_no_se_pisa(tmp_path, contenido):
    ruta = ruta_respuesta(EJERCICIO_PROYECTO, tmp_path)
    ruta.parent.mkdir()
    ruta.write_bytes(contenido)
    proyecto, aviso = cargar_proyecto(tmp_path)
    assert proyecto is None
    apartados = list(ruta.parent.glob("mi_negocio.json.corrupto-*"))
    assert len(apartados) == 1 and apartados[0].read_bytes() == contenido
    assert not ruta.exists()
    assert apartados[0].name in aviso and "no se pudo leer" in aviso


def test_guardar_otra_cosa_es_un_error(tmp_path):
    with pytest.raises(ErrorCurso, match="debe ser un MiNegocio"):
        guardar_proyecto(Persona("Ana"), tmp_path)


# --- the journey map as CSV / JSON ---------------------------------------------------------


@pytest.mark.parametrize(
    "mapa", [mapa_zapatos(), mapa_nubestock(), mapa_ejemplo()], ids=["zapatos", "nube", "maria"]
)
def test_mapa_csv_ida_y_vuelta(mapa):
    texto = mapa_a_csv(mapa)
    vuelta = mapa_desde_csv(texto)
    assert vuelta.interacciones == mapa.interacciones
    assert (vuelta.objetivo, vuelta.persona.nombre, vuelta.modelo) == (
        mapa.objetivo,
        mapa.persona.nombre,
        mapa.modelo,
    )
    assert mapa_desde_json(mapa.a_json()) == mapa
    # a spreadsheet reads it as one row per interaction under a header row
    filas = [f for f in csv.reader(io.StringIO(texto)) if f and not f[0].startswith("#")]
    assert filas[0][:3] == ["etapa", "canal", "accion"] and len(filas) == len(mapa.interacciones) + 1


def test_mapa_desde_csv_de_excel_en_espanol(tmp_path):
    # Excel in Spanish saves with ';', UTF-8 with BOM, and its own column headers' accents.
    ruta = tmp_path / "mapa.csv"
    ruta.write_bytes(
        "\ufeffEtapa;Canal;Acción;Emoción;Puntos de dolor\n"
        "Conciencia;Instagram;Ve un anuncio;+1;\n"
        "Post-compra;Correo;Recibe la encuesta;-1;muy larga; sin premio\n".encode()
    )
    mapa = mapa_desde_csv(ruta)
    assert [(i.etapa, i.emocion) for i in mapa.interacciones] == [("conciencia", 1), ("post_compra", -1)]
    assert mapa.interacciones[1].puntos_de_dolor == ["muy larga"]


@pytest.mark.parametrize(
    ("texto", "mensaje"),
    [
        ("", "vacío"),
        ("etapa,canal\nconciencia,Instagram\n", "faltan las columnas accion"),
        ("etapa,canal,accion,emocion\nconciencia,Instagram,Ve,5\n", "Fila 2 del CSV"),
        ("etapa,canal,accion\nla del medio,Instagram,Ve\n", "Fila 2 del CSV"),
    ],
)
def test_csv_malo_dice_que_fila_y_como_arreglarlo(texto, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje) as e:
        mapa_desde_csv(texto)
    assert e.value.pista


# --- the read-only "estado de tu proyecto" view ---------------------------------------------


def test_vista_estado_del_proyecto_muestra_sugerencias_y_no_escribe(tmp_path, monkeypatch):
    from cj_course.widgets.proyecto import VistaProyecto, estado_proyecto

    monkeypatch.chdir(tmp_path)
    p = proyecto_ejemplo("zapatos")
    p.persona("Fernanda").segmento = "Universitaria"
    vista = estado_proyecto(p)
    assert isinstance(vista, VistaProyecto)
    html = vista.value
    assert "Estado de tu proyecto" in html and "Zapatos SA de CV" in html
    assert "Universitaria" in html and "Quisiste decir" in html
    assert "3 segmentos" in html
    assert not list(tmp_path.iterdir())  # a read-only view never writes
    # it refreshes from the saved project, and says so when there is none
    guardar_proyecto(proyecto_ejemplo("nubestock"), tmp_path)
    vista = estado_proyecto()
    assert "NubeStock" in vista.value and "encajan entre sí" in vista.value
    vacia = estado_proyecto(carpeta=tmp_path / "nada")
    assert "Todavía no tienes un proyecto guardado" in vacia.value


def test_los_atajos_del_paquete_y_del_mapa(tmp_path):
    import cj_course

    assert cj_course.MiNegocio is MiNegocio and cj_course.proyecto_ejemplo is proyecto_ejemplo
    assert {"MiNegocio", "proyecto_ejemplo", "exportar_plan"} <= set(cj_course.__all__)
    mapa = proyecto_ejemplo("nubestock").mapa_de("Andrés")
    ruta = tmp_path / "mapa.csv"
    ruta.write_text(mapa.a_csv(), encoding="utf-8")
    assert MapaDeViaje.desde_csv(ruta).interacciones == mapa.interacciones
    assert MapaDeViaje.desde_csv(mapa.a_csv(), persona=mapa.persona).persona == mapa.persona


# --- the final project's criteria (module 6) ------------------------------------------------


def test_completitud_del_proyecto_final_y_su_plan(tmp_path):
    from cj_course.plan import exportar_plan
    from cj_course.proyecto import completitud, huella_proyecto, registro_del_plan

    p = proyecto_ejemplo("nubestock")
    assert [c.ok for c in completitud(p, None).comprobaciones] == [True] * 6 + [False]
    exportar_plan(p, tmp_path / "mi_plan.html")
    registro = registro_del_plan(tmp_path)
    assert registro == {"tipo": "RegistroDelPlan", "archivo": "mi_plan.html", "huella": huella_proyecto(p)}
    assert completitud(p, registro).ok
    # A change after exporting: the plan no longer shows the project, and says so.
    p.campos_clientes = [*p.campos_clientes, "telefono"]
    plan = completitud(p, registro).comprobaciones[-1]
    assert not plan.ok and "no corresponde a tu proyecto de ahora" in plan.mensaje
    # A record written by hand for another project counts for nothing.
    assert not completitud(p, {"huella": "0" * 64}).comprobaciones[-1].ok


def test_el_plan_de_un_proyecto_sin_piezas_no_cuenta(tmp_path):
    from cj_course.plan import exportar_plan
    from cj_course.proyecto import completitud, registro_del_plan

    vacio = MiNegocio("Mi negocio")
    exportar_plan(vacio, tmp_path / "mi_plan.html")
    plan = completitud(vacio, registro_del_plan(tmp_path)).comprobaciones[-1]
    assert not plan.ok and "le faltan piezas" in plan.mensaje

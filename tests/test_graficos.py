"""Gráficos: cada figura se dibuja con el contenido esperado, en español, y se exporta."""

from __future__ import annotations

import doctest

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from cj_course import ErrorCurso, graficos
from cj_course.datos import cargar_datos, etiqueta_evento
from cj_course.datos.mapas import mapa_nubestock, mapa_zapatos, persona_zapatos
from cj_course.graficos import (
    dibujar_cohortes,
    dibujar_embudo,
    dibujar_mapa,
    dibujar_nps,
    dibujar_persona,
    exportar_figura,
    numero,
)
from cj_course.metricas import embudo, retencion_cohortes
from cj_course.modelo import Interaccion, MapaDeViaje, Persona, mapa_ejemplo, persona_ejemplo


def textos(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def todo(fig: Figure) -> str:
    return "\n".join(textos(fig))


@pytest.fixture(autouse=True)
def sin_figuras_abiertas():
    antes = set(plt.get_fignums())
    yield
    assert set(plt.get_fignums()) == antes, "a drawing function left a pyplot figure open"


# --- number formatting ---------------------------------------------------------------------------


def test_numero_con_coma_decimal():
    assert numero(3.14159) == "3,1"
    assert numero(1234.5, 2) == "1234,50"
    assert numero(1234567.25, 1) == "1\u202f234\u202f567,2"
    assert numero(-0.04) == "0,0"
    assert numero(45.678, porcentaje=True) == "45,7 %"
    assert numero(float("nan")) == "—"


# --- journey map ---------------------------------------------------------------------------------


def test_mapa_de_ejemplo_tiene_etapas_carriles_y_contenido():
    mapa = mapa_ejemplo()
    fig = dibujar_mapa(mapa)
    contenido = todo(fig)
    for nombre in ("Conciencia", "Consideración", "Decisión", "Compra", "Post-compra", "Lealtad"):
        assert nombre in textos(fig)
    for carril in (
        "Puntos de\ncontacto",
        "Acciones",
        "Pensamientos",
        "Emociones",
        "Puntos de\ndolor",
        "Oportunidades",
    ):
        assert carril in textos(fig)
    for inter in mapa.interacciones:
        assert inter.canal in contenido
        assert inter.pensamiento.split()[0] in contenido
        for dolor in inter.puntos_de_dolor:
            assert dolor.split()[0] in contenido
    assert "Persona: María, 28 años" in contenido
    assert "Objetivo:" in contenido
    # One face per interaction on the emotion curve, and the curve itself.
    ax = fig.axes[0]
    assert any(len(linea.get_xdata()) == len(mapa.interacciones) for linea in ax.lines)


def test_curva_de_emociones_sigue_las_emociones():
    mapa = mapa_ejemplo()
    fig = dibujar_mapa(mapa)
    curva = next(linea for linea in fig.axes[0].lines if len(linea.get_xdata()) == len(mapa.interacciones))
    y = np.asarray(curva.get_ydata())
    emociones = np.array([i.emocion for i in mapa.interacciones])
    # The y axis grows downwards: higher emotion, smaller y; equal emotions, equal heights.
    orden = np.argsort(-emociones, kind="stable")
    assert (np.diff(y[orden]) >= -1e-9).all()
    assert len(set(np.round(y, 6))) == len(set(emociones))


def test_mapa_con_muchas_interacciones_crece_y_parte_el_texto():
    simple, completo = dibujar_mapa(mapa_ejemplo()), dibujar_mapa(mapa_zapatos())
    assert completo.get_figheight() > simple.get_figheight()
    assert completo.get_figwidth() == pytest.approx(simple.get_figwidth())
    # Long texts are wrapped: no drawn line of the action lane is wider than a column.
    largos = [t for t in textos(completo) if "\n" in t and "Espera ocho días" in t.replace("\n", " ")]
    assert largos, "the long action should have been wrapped onto several lines"
    for i in range(1, 13):
        assert str(i) in textos(completo)  # interactions numbered across lanes


def test_texto_no_se_sale_de_su_columna():
    fig = dibujar_mapa(mapa_zapatos())
    lienzo = FigureCanvasAgg(fig)
    lienzo.draw()
    ax = fig.axes[0]
    renderer = lienzo.get_renderer()
    ancho_columna_px = 2.4 * fig.dpi
    for t in ax.texts:
        if t.get_ha() == "left" and t.get_fontsize() == pytest.approx(9.5):
            assert t.get_window_extent(renderer).width < ancho_columna_px - 0.3 * fig.dpi, t.get_text()


def test_mapa_vacio_y_etapas_sin_interacciones():
    fig = dibujar_mapa(MapaDeViaje(objetivo="Empezar"))
    assert textos(fig).count("Sin interacciones\ntodavía") == 6
    parcial = dibujar_mapa(MapaDeViaje(interacciones=[Interaccion("compra", "Web", "Compra", emocion=-1)]))
    assert textos(parcial).count("Sin interacciones\ntodavía") == 5


def test_mapa_de_otro_modelo_de_etapas():
    mapa = MapaDeViaje(
        modelo="spark", interacciones=[Interaccion("entrega", "Mensajería", "Recibe el pedido")]
    )
    fig = dibujar_mapa(mapa)
    for nombre in ("Prospección", "Evaluación", "Compra", "Entrega", "Post-compra"):
        assert nombre in textos(fig)
    assert "Conciencia" not in textos(fig)


def test_mapa_b2b_y_desde_diccionario():
    fig = dibujar_mapa(mapa_nubestock().a_dict())
    assert "Onboarding lento" in todo(fig)


def test_mapa_rechaza_lo_que_no_es_un_mapa():
    with pytest.raises(ErrorCurso, match="MapaDeViaje"):
        dibujar_mapa("mi mapa")
    with pytest.raises(ErrorCurso, match="ancho"):
        dibujar_mapa(mapa_ejemplo(), ancho_columna=50)


# --- funnel, cohorts, NPS, persona ----------------------------------------------------------------


def test_embudo_desde_tabla_y_desde_eventos():
    ev = cargar_datos("zapatos").eventos
    pasos = ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"]
    tabla = embudo(ev, pasos)
    fig = dibujar_embudo(tabla)
    contenido = todo(fig)
    assert "Embudo de conversión" in contenido
    assert "Agregó al carrito" in contenido and "inicio_pago" in contenido
    assert numero(tabla["clientes"].iloc[0], 0) in textos(fig)
    assert numero(tabla["conversion_total"].iloc[-1], 1, porcentaje=True) in textos(fig)
    peor = int(tabla["conversion_paso"].iloc[1:].idxmin())
    resumen = next(t for t in textos(fig) if t.startswith("Mayor caída"))
    assert f"a «{etiqueta_evento(pasos[peor])}»" in resumen
    assert numero(tabla["conversion_paso"].iloc[peor], 1, porcentaje=True) in resumen
    flecha = next(
        t for t in fig.axes[0].texts if t.get_text().startswith("↓") and t.get_color() == graficos.ROJO
    )
    assert numero(tabla["conversion_paso"].iloc[peor], 1, porcentaje=True) in flecha.get_text()
    otra = dibujar_embudo(ev, pasos=pasos, titulo="Tienda")
    assert "Tienda" in todo(otra)
    assert textos(otra)[1:] != [] and numero(tabla["clientes"].iloc[-1], 0) in textos(otra)


def test_embudo_errores():
    with pytest.raises(ErrorCurso, match="embudo"):
        dibujar_embudo(pd.DataFrame({"x": [1]}))
    with pytest.raises(ErrorCurso, match="clientes"):
        dibujar_embudo(pd.DataFrame({"paso": ["a", "b"], "clientes": [10, -1]}))
    with pytest.raises(ErrorCurso):
        dibujar_embudo([10, 5])


def test_embudo_con_pasos_en_cero():
    fig = dibujar_embudo(pd.DataFrame({"paso": ["visita_web", "compra", "recompra"], "clientes": [10, 0, 0]}))
    assert "0" in textos(fig)


def test_cohortes_mapa_de_calor():
    matriz = retencion_cohortes(cargar_datos("zapatos").eventos)
    fig = dibujar_cohortes(matriz)
    ax = fig.axes[0]
    celdas = [t.get_text() for t in ax.texts]
    assert numero(matriz.iloc[0, 1], 1) in celdas
    assert f"n={numero(float(matriz.attrs['clientes'].iloc[0]), 0)}" in celdas
    etiquetas = [t.get_text() for t in ax.get_yticklabels()]
    assert etiquetas[0] == "ene 2024" and etiquetas[-1] == "jun 2025"
    assert "Meses desde la primera compra" in ax.get_xlabel()
    assert matriz.size - np.isnan(matriz.to_numpy()).sum() == len(celdas)  # one label per observable cell


def test_cohortes_b2b_por_trimestre():
    eventos = cargar_datos("nubestock").eventos
    matriz = retencion_cohortes(eventos, inicio="contrato", retorno="renovacion", periodo="trimestre")
    ax = dibujar_cohortes(matriz, titulo="Renovaciones").axes[0]
    assert ax.get_xlabel().startswith("Trimestres desde el primer evento «contrato»")
    assert ax.get_yticklabels()[0].get_text() == "T1 2023"


def test_cohortes_sin_atributos_y_errores():
    fig = dibujar_cohortes(pd.DataFrame([[100.0, 12.5]], index=["A"], columns=[0, 1]))
    assert "12,5" in [t.get_text() for t in fig.axes[0].texts]
    with pytest.raises(ErrorCurso, match="retencion_cohortes"):
        dibujar_cohortes(pd.DataFrame())
    with pytest.raises(ErrorCurso, match="números"):
        dibujar_cohortes(pd.DataFrame({"a": ["x"]}))


def test_nps_colores_y_titulo():
    valores = [10] * 5 + [8] * 3 + [2] * 2
    fig = dibujar_nps(valores)
    ax = fig.axes[0]
    assert ax.get_title(loc="left").startswith("NPS = 30,0")
    colores = [tuple(np.round(b.get_facecolor()[:3], 3)) for b in ax.patches]
    assert len(colores) == 11
    rojo, ambar, verde = (
        tuple(np.round(matplotlib.colors.to_rgb(c), 3))
        for c in (graficos.ROJO, graficos.AMBAR, graficos.VERDE)
    )
    assert colores[:7] == [rojo] * 7 and colores[7:9] == [ambar] * 2 and colores[9:] == [verde] * 2
    alturas = [b.get_height() for b in ax.patches]
    assert (
        alturas[10] == pytest.approx(50)
        and alturas[8] == pytest.approx(30)
        and alturas[2] == pytest.approx(20)
    )
    assert "Promotores: 50,0 %" in textos(fig) and "Detractores: 20,0 %" in textos(fig)


def test_nps_rechaza_puntuaciones_malas():
    with pytest.raises(ErrorCurso, match="escala"):
        dibujar_nps([11, 9])


def test_tarjeta_de_persona():
    persona = persona_ejemplo()
    fig = dibujar_persona(persona)
    contenido = todo(fig)
    assert "María" in textos(fig) and "28 años" in textos(fig)
    for etiqueta, valor in persona.caracteristicas().items():
        if etiqueta in ("Edad", "Segmento"):
            continue
        assert etiqueta.upper() in textos(fig)
        assert valor.split(",")[0].split()[0] in contenido
    assert "«Si no lo puedo" in contenido
    assert "M" in textos(fig)  # initials
    assert dibujar_persona(persona_zapatos()).get_figheight() >= 3.6


def test_tarjeta_de_persona_minima_y_errores():
    fig = dibujar_persona(Persona("Ana Sofía"))
    assert "AS" in textos(fig)
    assert any("Aún no tiene características" in t for t in textos(fig))
    assert "Ana Sofía" in textos(dibujar_persona({"nombre": "Ana Sofía"}))
    with pytest.raises(ErrorCurso, match="Persona"):
        dibujar_persona("Ana")


# --- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("extension, firma", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_exportar_por_extension(tmp_path, extension, firma):
    ruta = exportar_figura(
        dibujar_mapa(mapa_ejemplo()), tmp_path / "sub" / f"mapa{extension.upper()}", dpi=60
    )
    assert ruta.exists() and ruta.stat().st_size > 1000
    assert ruta.read_bytes().startswith(firma)


@pytest.mark.parametrize(
    "dibujo",
    [
        lambda: dibujar_embudo(pd.DataFrame({"paso": ["visita_web", "compra"], "clientes": [100, 20]})),
        lambda: dibujar_cohortes(pd.DataFrame([[100.0, 20.0]], index=["A"], columns=[0, 1])),
        lambda: dibujar_nps([10, 9, 8, 3]),
        lambda: dibujar_persona(persona_ejemplo()),
    ],
    ids=["embudo", "cohortes", "nps", "persona"],
)
@pytest.mark.parametrize("extension", [".png", ".svg", ".pdf"])
def test_cada_figura_se_exporta(tmp_path, dibujo, extension):
    ruta = exportar_figura(dibujo(), tmp_path / f"figura{extension}", dpi=60)
    assert ruta.stat().st_size > 1000


@pytest.mark.parametrize("ruta, mensaje", [("mapa.jpg", "formato"), ("mapa", "sin extensión"), ("", "ruta")])
def test_exportar_errores(tmp_path, ruta, mensaje):
    fig = dibujar_nps([10, 9])
    with pytest.raises(ErrorCurso, match=mensaje):
        exportar_figura(fig, (tmp_path / ruta) if ruta else ruta)
    with pytest.raises(ErrorCurso, match="figura"):
        exportar_figura("no soy una figura", tmp_path / "x.png")
    with pytest.raises(ErrorCurso, match="dpi"):
        exportar_figura(fig, tmp_path / "x.png", dpi=5)


def test_figuras_se_pueden_mostrar_sin_pyplot(tmp_path):
    """Closed for pyplot, yet still drawable and savable (what notebooks and the book need)."""
    from IPython.core.pylabtools import print_figure

    fig = dibujar_nps([10, 9, 3])
    assert fig.number not in plt.get_fignums()
    assert print_figure(fig, "png").startswith(b"\x89PNG")  # what Jupyter's inline display calls


def test_ejemplos_de_la_documentacion():
    resultado = doctest.testmod(graficos, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert resultado.attempted >= 6 and resultado.failed == 0


# --- accessibility: text alternatives and colour (issue 18) ------------------------------------


def _luminancia(color) -> float:
    from matplotlib.colors import to_rgb

    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contraste(a, b) -> float:
    claro, oscuro = sorted((_luminancia(a), _luminancia(b)), reverse=True)
    return (claro + 0.05) / (oscuro + 0.05)


def test_el_mapa_dice_en_texto_etapas_punto_bajo_y_dolores():
    mapa = mapa_zapatos()
    fig = dibujar_mapa(mapa)
    texto = fig.descripcion
    for etapa in mapa.modelo_etapas.etapas:
        assert etapa.nombre in texto
    peor = min(mapa.interacciones, key=lambda i: i.emocion)
    etapa_peor = next(e.nombre for e in mapa.modelo_etapas.etapas if e.clave == peor.etapa)
    assert f"punto más bajo en {etapa_peor}, con {peor.canal}" in texto
    assert f"{peor.emocion:+d}" in texto
    for dolor in peor.puntos_de_dolor[:3]:
        assert dolor in texto


def test_cada_figura_lleva_su_descripcion_dentro_del_png():
    figuras = {
        "mapa": dibujar_mapa(mapa_ejemplo()),
        "embudo": dibujar_embudo(pd.DataFrame({"paso": ["visita_web", "compra"], "clientes": [200, 30]})),
        "cohortes": dibujar_cohortes(
            pd.DataFrame([[100.0, 20.0], [100.0, 35.0]], index=["ene", "feb"], columns=[0, 1])
        ),
        "nps": dibujar_nps([10, 9, 9, 8, 7, 6, 3]),
        "persona": dibujar_persona(persona_ejemplo()),
    }
    esperado = {
        "mapa": "Conciencia",
        "embudo": "15,0 %",
        "cohortes": "de 20,0 % a 35,0 %",
        "nps": "3 promotores",
        "persona": "María",
    }
    for nombre, fig in figuras.items():
        assert isinstance(fig, graficos.FiguraCurso), nombre
        assert esperado[nombre] in fig.descripcion, (nombre, fig.descripcion)
        assert graficos.descripcion_de_png(fig.png()) == fig.descripcion, nombre


def test_en_un_cuaderno_la_figura_es_nitida_y_declara_su_tamano_normal():
    import base64

    fig = dibujar_nps([10, 9, 7, 3])
    datos, meta = fig._repr_mimebundle_()
    png = base64.b64decode(datos["image/png"])
    ancho, alto = graficos._tamano_png(png)
    assert meta["image/png"]["width"] == ancho // 2 and meta["image/png"]["height"] == alto // 2
    assert ancho >= 2 * 800, "a doble densidad: nítida en pantallas de alta resolución"
    assert fig.descripcion in datos["text/plain"]
    assert graficos.descripcion_de_png(png) == fig.descripcion


def test_los_nombres_de_etapa_se_leen_en_color_y_en_gris():
    fig = dibujar_mapa(mapa_ejemplo())
    ax = fig.axes[0]
    nombres = {e.nombre for e in mapa_ejemplo().modelo_etapas.etapas}
    for color in graficos.COLORES_ETAPAS:
        assert _contraste("white", color) >= 4.5, color
        gris = (_luminancia(color),) * 3  # grey keeps the luminance, and so the contrast
        assert _contraste("white", gris) >= 4.5, color
    etiquetas = [t for t in ax.texts if t.get_text() in nombres]
    assert len(etiquetas) == len(nombres)
    assert all(t.get_color() == "white" for t in etiquetas)


def test_la_emocion_no_depende_solo_del_color():
    # Each face's mouth curves with the emotion: smiles and frowns differ in shape, not only in hue,
    # so the curve reads in grey and under colour blindness (and its height says the same).
    from cj_course.graficos import _cara

    bocas = {}
    for emocion in (-2, 0, 2):
        f = Figure()
        ax = f.add_subplot()
        _cara(ax, 0, 0, emocion, 1)
        boca = ax.lines[-1]
        y = np.asarray(boca.get_ydata())
        bocas[emocion] = y[len(y) // 2] - y[0]  # how far the middle of the mouth bends from its corner
    assert bocas[-2] < bocas[0] < bocas[2] or bocas[-2] > bocas[0] > bocas[2]
    assert abs(bocas[0]) < 1e-9

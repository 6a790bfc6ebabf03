"""Las figuras se leen en gris y con daltonismo: el color nunca es lo único que distingue algo.

La simulación de protanopia y deuteranopia usa las matrices de Machado, Oliveira y Fernandes (2009),
«A Physiologically-based Model for Simulation of Color Vision Deficiency», IEEE TVCG 15(6), severidad
1,0, aplicadas en RGB lineal; la diferencia de color es ΔE*ab (CIE 1976) en CIELAB con blanco D65.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from cj_course import graficos
from cj_course.etapas import MODELOS
from cj_course.graficos import COLORES_ETAPAS, _cara, _Plano, dibujar_mapa
from cj_course.modelo import Interaccion, MapaDeViaje, mapa_ejemplo

PROTANOPIA = np.array(
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
)
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
)
VISIONES = {"tricromática": np.eye(3), "protanopia": PROTANOPIA, "deuteranopia": DEUTERANOPIA}
# ΔE*ab ≈ 2 is "just noticeable"; 15 is a difference nobody misses between two filled blocks.
DELTA_E_MINIMO = 15.0
_RGB_A_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_BLANCO_D65 = np.array([0.95047, 1.0, 1.08883])


def _lineal(color) -> np.ndarray:
    c = np.asarray(to_rgb(color))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(lineal: np.ndarray) -> np.ndarray:
    xyz = _RGB_A_XYZ @ np.clip(lineal, 0, 1) / _BLANCO_D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a, b, vision: np.ndarray) -> float:
    return float(np.linalg.norm(_lab(vision @ _lineal(a)) - _lab(vision @ _lineal(b))))


def luminancia(color) -> float:
    """Relative luminance (WCAG 2), which is what a grey-scale print keeps."""
    return float(np.array([0.2126, 0.7152, 0.0722]) @ _lineal(color))


def test_la_simulacion_es_la_conocida():
    # sanity checks of the model itself: grey stays grey, and red/green collapse for a deuteranope
    gris = "#777777"
    for matriz in (PROTANOPIA, DEUTERANOPIA):
        assert np.allclose(matriz @ _lineal(gris), _lineal(gris), atol=1e-3)
    assert delta_e("#FF0000", "#00FF00", np.eye(3)) > 80
    assert delta_e("#C2410C", "#B35C00", DEUTERANOPIA) < 5  # the pair the old palette had side by side


@pytest.mark.parametrize("modelo", sorted(MODELOS))
@pytest.mark.parametrize("vision", sorted(VISIONES))
def test_etapas_vecinas_se_distinguen_con_cada_vision(modelo, vision):
    mapa = MapaDeViaje(modelo=modelo, interacciones=[])
    colores = [_Plano(mapa, 2.0).colores[e.clave] for e in mapa.modelo_etapas.etapas]
    etapas = mapa.modelo_etapas.etapas
    for i, (a, b) in enumerate(itertools.pairwise(colores)):
        nombres = (etapas[i], etapas[i + 1])
        diferencia = delta_e(a, b, VISIONES[vision])
        assert diferencia >= DELTA_E_MINIMO, (
            f"{modelo}, {vision}: {nombres[0].nombre} ({a}) y {nombres[1].nombre} ({b}) "
            f"se confunden (ΔE = {diferencia:.1f})"
        )


def test_en_gris_las_etapas_se_leen_por_su_nombre_no_por_su_color():
    # All stage colours are dark (white text on them), so in grey they look alike by design: what
    # tells the stages apart is the white name in every column header, readable in grey.
    fig = dibujar_mapa(mapa_ejemplo())
    nombres = [e.nombre for e in mapa_ejemplo().modelo_etapas.etapas]
    cabeceras = [t for t in fig.axes[0].texts if t.get_text() in nombres]
    assert sorted(t.get_text() for t in cabeceras) == sorted(nombres)
    for color in COLORES_ETAPAS:
        assert (1.05) / (luminancia(color) + 0.05) >= 4.5, f"texto blanco sobre {color} ilegible en gris"


def _boca(emocion: int) -> float:
    f = Figure()
    ax = f.add_subplot()
    _cara(ax, 0, 0, emocion, 1)
    y = np.asarray(ax.lines[-1].get_ydata())
    return float(y[len(y) // 2] - y[0])


def test_la_curva_de_emociones_no_depende_del_color():
    # The emotion is carried three more ways than by the face's colour: its height on a scale with
    # printed values (-2 … +2), the shape of the mouth, and the description of the figure.
    mapa = MapaDeViaje(
        interacciones=[
            Interaccion("conciencia", "Instagram", "Ve un anuncio", emocion=1),
            Interaccion("compra", "Web", "Paga", emocion=-2),
            Interaccion("lealtad", "Correo", "Recibe un cupón", emocion=2),
        ]
    )
    fig = dibujar_mapa(mapa)
    ax = fig.axes[0]
    escala = {t.get_text() for t in ax.texts}
    assert {"-2", "-1", "0", "+1", "+2"} <= escala
    bocas = [_boca(e) for e in (-2, -1, 0, 1, 2)]
    assert bocas == sorted(bocas) or bocas == sorted(bocas, reverse=True)
    assert len({round(b, 6) for b in bocas}) == 5, "cada emoción con su propia forma de boca"
    assert "punto más bajo en Compra" in fig.descripcion
    # the ends of the face colours (red, green) stay apart for protanopes and deuteranopes too
    for vision in (PROTANOPIA, DEUTERANOPIA):
        assert delta_e(graficos.ROJO, graficos.VERDE, vision) >= DELTA_E_MINIMO


def test_un_mapa_ancho_lleva_letra_mas_grande():
    # A six-stage map is ~16 in wide and is shrunk to the page: its lane text is set larger than
    # the default so it stays readable at page width and on a phone; a narrow map keeps the default.
    from matplotlib.text import Text

    def mayor_letra_de_carril(fig) -> float:
        return max(t.get_fontsize() for t in fig.findobj(Text) if t.get_text() == "Ve un anuncio")

    interaccion = [Interaccion("conciencia", "Instagram", "Ve un anuncio")]
    ancho = dibujar_mapa(MapaDeViaje(interacciones=interaccion))
    estrecho = dibujar_mapa(MapaDeViaje(modelo="spark", interacciones=[]), ancho_columna=1.5)
    assert ancho.get_size_inches()[0] > graficos.ANCHO_MAPA_LEGIBLE
    assert estrecho.get_size_inches()[0] <= graficos.ANCHO_MAPA_LEGIBLE
    assert mayor_letra_de_carril(ancho) > _Plano(MapaDeViaje(interacciones=interaccion), 2.4).fs

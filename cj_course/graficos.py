"""Gráficos del curso: el mapa de viaje, el embudo, las cohortes, el NPS y la tarjeta de persona.

Cada función devuelve una :class:`FiguraCurso` (una :class:`matplotlib.figure.Figure`) ya cerrada
para pyplot: en un cuaderno se muestra al dejarla como última expresión de la celda (o con
``display(fig)``) y no se acumulan figuras abiertas. Cada figura lleva en ``descripcion`` un texto
alternativo en español que dice lo que muestra (el libro lo usa como ``alt`` de la imagen). Los textos están en español y los números llevan coma decimal. Con
:func:`exportar_figura` se guarda en PNG, SVG o PDF según la extensión.

>>> from cj_course.modelo import mapa_ejemplo
>>> fig = dibujar_mapa(mapa_ejemplo())
>>> round(fig.get_figwidth())   # seis etapas, en pulgadas
16
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib import patches
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import FuncFormatter

from ._errores import ErrorCurso, exigir_tipo
from ._nombres import PEREZOSOS
from ._texto import citar
from .etapas import Etapa
from .modelo import Interaccion, MapaDeViaje, como_objeto

# What cj_course offers from here (written once, in _nombres), the figure type and the number format.
__all__ = [*PEREZOSOS["graficos"], "FiguraCurso", "numero"]

# A palette that reads in order (cool → warm → loyal). Every colour is dark enough for white text
# (contrast ≥ 4,5:1, WCAG AA), so stage names stay readable in grey-scale print and for colour-blind
# readers; the stages are told apart by their names and order, never by colour alone. Neighbouring
# stages also stay apart under protanopia and deuteranopia (post-compra is grape, not a second
# orange: tests/test_graficos_colores.py).
COLORES_ETAPAS = ("#364FC7", "#0B7285", "#087F5B", "#B35C00", "#862E9C", "#A61E4D")
TINTA = "#212529"
GRIS = "#6C757D"
GRIS_CLARO = "#DEE2E6"
ROJO, AMBAR, VERDE = "#E03131", "#F59F00", "#2F9E44"
FUENTE = "DejaVu Sans"
_MESES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
_TEXTO_A_TRAZO = TextToPath()
EstiloFuente = Literal["normal", "italic", "oblique"]
# Widest map (inches) whose lane text reads well at page width; wider maps get larger lane text.
ANCHO_MAPA_LEGIBLE = 11.0
_EMOCIONES = {-2: "Muy negativa", -1: "Negativa", 0: "Neutral", 1: "Positiva", 2: "Muy positiva"}


def numero(valor: float, decimales: int = 1, porcentaje: bool = False) -> str:
    """Un número con coma decimal y espacio fino de miles (desde 10 000): ``12345.6`` → ``"12 345,6"``.

    >>> numero(12345.678), numero(0.5, 0), numero(33.333, porcentaje=True)
    ('12\u202f345,7', '0', '33,3 %')
    """
    if valor is None or (isinstance(valor, float) and math.isnan(valor)):
        return "—"
    texto = f"{valor:,.{decimales}f}"
    entero = texto.split(".")[0]
    separar = len(entero.replace(",", "").lstrip("-")) > 4
    texto = texto.replace(",", "\u202f" if separar else "").replace(".", ",")
    if texto in ("-0", "-0,0", "-0,00"):
        texto = texto[1:]
    return texto + (" %" if porcentaje else "")


class FiguraCurso(Figure):
    """Una figura del curso con su texto alternativo en español (``descripcion``).

    En un cuaderno se muestra como PNG a doble resolución (nítida en pantallas de alta densidad y al
    ampliarla en un teléfono) con su tamaño normal declarado, y la descripción viaja dentro del PNG
    (campo ``Description``): el libro la lee de ahí para el ``alt`` de la imagen, sin tocar cuadernos.

    >>> fig = dibujar_nps([10, 9, 7, 3])
    >>> fig.descripcion.startswith("Distribución de 4 respuestas")
    True
    >>> datos, meta = fig._repr_mimebundle_()
    >>> sorted(datos), meta["image/png"]["width"] < ancho_png(datos["image/png"])
    (['image/png', 'text/plain'], True)
    """

    descripcion: str = ""
    # Twice the drawing resolution: sharp on high-density screens and when a phone zooms in.
    DENSIDAD = 2

    def png(self, densidad: int | None = None) -> bytes:
        """El PNG de la figura (como lo muestra un cuaderno), con la descripción en sus metadatos.

        Se guarda con una paleta de 256 colores: las figuras son colores planos y texto, así que no
        se nota, y pesa unas tres veces menos (cuenta para quien lee el libro con datos del teléfono).
        """
        import io

        from PIL import Image, PngImagePlugin

        densidad = self.DENSIDAD if densidad is None else densidad
        bruto = io.BytesIO()
        self.savefig(
            bruto,
            format="png",
            dpi=self.dpi * densidad,
            facecolor="white",
            bbox_inches="tight",
            pad_inches=0.05,
        )
        info = PngImagePlugin.PngInfo()
        if self.descripcion:
            info.add_itxt("Description", self.descripcion)  # iTXt: UTF-8, accents and all
        info.add_text("Software", "cj_course")
        salida = io.BytesIO()
        with Image.open(io.BytesIO(bruto.getvalue())) as imagen:
            imagen.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(
                salida, format="PNG", optimize=True, pnginfo=info
            )
        return salida.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        png = self.png()
        ancho, alto = _tamano_png(png)
        texto = f"<Figura: {self.descripcion}>" if self.descripcion else "<Figura>"
        # width/height in CSS pixels (the 1x size): JupyterLab and the book show it at that size.
        metadatos = {"image/png": {"width": ancho // self.DENSIDAD, "height": alto // self.DENSIDAD}}
        return {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": texto}, metadatos

    def _ipython_display_(self) -> None:
        # matplotlib-inline registers a PNG formatter for every Figure, and IPython prefers a
        # registered formatter to _repr_mimebundle_: the book then got a 1x PNG without the
        # description (alt «../_images/….png»). IPython calls this hook before any formatter.
        from IPython.display import display

        datos, metadatos = self._repr_mimebundle_()
        display(datos, raw=True, metadata=metadatos)


def _tamano_png(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk (the first one, always)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def ancho_png(datos: str | bytes) -> int:
    """Ancho en píxeles de un PNG (en bytes o en base64, como en un cuaderno).

    >>> fig = dibujar_nps([10, 9, 7, 3])   # a doble densidad, el doble de píxeles
    >>> round(ancho_png(fig.png(densidad=2)) / ancho_png(fig.png(densidad=1)))
    2
    """
    import base64

    png = base64.b64decode(datos) if isinstance(datos, str) else datos
    return _tamano_png(png)[0]


def descripcion_de_png(png: bytes) -> str | None:
    """La descripción (texto alternativo) que :class:`FiguraCurso` guarda en un PNG, o ``None``.

    >>> descripcion_de_png(dibujar_nps([10, 9, 7, 3]).png(densidad=1))[:13]
    'Distribución '
    """
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(png)) as imagen:
            texto = imagen.info.get("Description")
    except (UnidentifiedImageError, OSError):
        return None
    return str(texto) if texto else None


def _lista(elementos: Sequence[str]) -> str:
    """Spanish enumeration: «a», «a y b», «a, b y c»."""
    elementos = [e for e in elementos if e]
    if len(elementos) <= 1:
        return "".join(elementos)
    return ", ".join(elementos[:-1]) + " y " + elementos[-1]


def _figura(ancho: float, alto: float) -> FiguraCurso:
    import matplotlib.pyplot as plt  # here, so importing cj_course does not start a plotting backend

    fig = plt.figure(figsize=(ancho, alto), dpi=100, FigureClass=FiguraCurso)
    plt.close(fig)  # the caller owns it: no pyplot bookkeeping, no double display in notebooks
    fig.patch.set_facecolor("white")
    assert isinstance(fig, FiguraCurso)
    return fig


def _estilo_ejes(ax) -> None:
    for lado in ("top", "right"):
        ax.spines[lado].set_visible(False)
    for lado in ("left", "bottom"):
        ax.spines[lado].set_color(GRIS_CLARO)
    ax.tick_params(colors=GRIS, labelsize=9)


@functools.lru_cache(maxsize=4096)
def _ancho_texto(texto: str, tamano: float, peso: str = "normal", estilo: EstiloFuente = "normal") -> float:
    """Width in inches of ``texto`` rendered in DejaVu Sans (measured, not guessed)."""
    propiedades = FontProperties(family=FUENTE, size=tamano, weight=peso, style=estilo)
    ancho, _, _ = _TEXTO_A_TRAZO.get_text_width_height_descent(texto, propiedades, ismath=False)
    return ancho / 72 * 1.07  # hinting at screen resolutions draws text a little wider than its outline


def _envolver(
    texto: str, ancho_pulgadas: float, tamano: float, peso: str = "normal", estilo: EstiloFuente = "normal"
) -> list[str]:
    """Greedy word wrap of ``texto`` to ``ancho_pulgadas`` at ``tamano`` points; long words are cut."""
    espacio = _ancho_texto(" ", tamano, peso, estilo)
    renglones: list[str] = []
    actual, ancho_actual = "", 0.0
    for palabra in str(texto).split():
        w = _ancho_texto(palabra, tamano, peso, estilo)
        while w > ancho_pulgadas and len(palabra) > 1:  # a word wider than the column: cut it
            corte = max(1, int(len(palabra) * ancho_pulgadas / w) - 1)
            if actual:
                renglones.append(actual)
                actual, ancho_actual = "", 0.0
            renglones.append(palabra[:corte] + "-")
            palabra = palabra[corte:]
            w = _ancho_texto(palabra, tamano, peso, estilo)
        if actual and ancho_actual + espacio + w > ancho_pulgadas:
            renglones.append(actual)
            actual, ancho_actual = palabra, w
        else:
            actual = f"{actual} {palabra}" if actual else palabra
            ancho_actual += (espacio if ancho_actual else 0) + w
    if actual:
        renglones.append(actual)
    return renglones or [""]


def _aclarar(color: str, cuanto: float) -> tuple[float, float, float]:
    r, g, b = to_rgb(color)
    return (r + (1 - r) * cuanto, g + (1 - g) * cuanto, b + (1 - b) * cuanto)


# --- journey map ---------------------------------------------------------------------------------

# The lanes, top to bottom: (title, Interaccion field; None is the emotion curve).
_CARRILES: tuple[tuple[str, str | None], ...] = (
    ("Puntos de contacto", "canal"),
    ("Acciones", "accion"),
    ("Pensamientos", "pensamiento"),
    ("Emociones", None),
    ("Puntos de dolor", "puntos_de_dolor"),
    ("Oportunidades", "oportunidades"),
)
_ALTO_EMOCIONES = 1.75
_FILA_ETAPAS = 0.62
_PIE = 0.45


def _cara(ax: Axes, x: float, y: float, emocion: int, radio: float) -> None:
    """A small face whose colour and mouth follow the emotion (-2..+2)."""
    mapa_color = LinearSegmentedColormap.from_list("emocion", [ROJO, "#FFD43B", VERDE])
    color = mapa_color((emocion + 2) / 4)
    ax.add_patch(patches.Circle((x, y), radio, facecolor=color, edgecolor="white", linewidth=1.5, zorder=6))
    for dx in (-0.35, 0.35):
        ax.add_patch(patches.Circle((x + dx * radio, y - 0.25 * radio), 0.09 * radio, color=TINTA, zorder=7))
    xs = np.linspace(-0.45, 0.45, 21) * radio
    curva = 0.12 * emocion * radio * (1 - (xs / (0.45 * radio)) ** 2)  # y grows downward on the map
    ax.plot(
        x + xs,
        y + 0.3 * radio + curva - 0.06 * emocion * radio,
        color=TINTA,
        linewidth=1.4,
        solid_capstyle="round",
        zorder=7,
    )


@dataclass(frozen=True)
class _Plano:
    """Where everything of one journey map goes (inches; y grows downward), decided before drawing."""

    mapa: MapaDeViaje
    cw: float  # the width of a stage column
    margen: float = 0.3
    etiqueta_w: float = 1.45  # the lane titles on the left
    relleno: float = 0.1
    fs: float = 9.5  # the text size inside the lanes

    @property
    def etapas(self) -> tuple[Etapa, ...]:
        return self.mapa.modelo_etapas.etapas

    @functools.cached_property
    def grupos(self) -> dict[str, list[Interaccion]]:
        return self.mapa.por_etapa()

    @functools.cached_property
    def colores(self) -> dict[str, str]:
        n = len(self.etapas)
        return {
            e.clave: COLORES_ETAPAS[round(i * (len(COLORES_ETAPAS) - 1) / max(n - 1, 1))]
            for i, e in enumerate(self.etapas)
        }

    @functools.cached_property
    def numeros(self) -> dict[int, int]:
        """Each interaction's number (by ``id``), in stage order: it links the lanes."""
        return {id(i): n for n, i in enumerate((i for g in self.grupos.values() for i in g), start=1)}

    @property
    def x0(self) -> float:  # where the first stage column starts
        return self.margen + self.etiqueta_w

    @property
    def ancho(self) -> float:
        return self.margen * 2 + self.etiqueta_w + self.cw * len(self.etapas)

    @property
    def texto_w(self) -> float:  # room for the number badge or bullet
        return self.cw - 2 * self.relleno - 0.3

    @property
    def linea(self) -> float:
        return self.fs * 1.32 / 72

    def bloques(self, clave: str, campo: str) -> list[tuple[Interaccion, list[list[str]]]]:
        """The wrapped text blocks of one lane in one stage, with the interaction each comes from."""
        salida = []
        for inter in self.grupos[clave]:
            valor = getattr(inter, campo)
            if campo in ("puntos_de_dolor", "oportunidades"):
                bloques = [_envolver(v, self.texto_w, self.fs) for v in valor]
            elif campo == "pensamiento":
                bloques = [_envolver(citar(valor), self.texto_w, self.fs, estilo="italic")] if valor else []
            elif campo == "canal":
                bloques = [_envolver(valor, self.texto_w, self.fs, peso="bold")]
            else:
                bloques = [_envolver(valor, self.texto_w, self.fs)]
            if bloques:
                salida.append((inter, bloques))
        return salida

    def _altura_contenido(self, clave: str, campo: str) -> float:
        total = 0.0
        for _, bloques in self.bloques(clave, campo):
            for b in bloques:
                total += len(b) * self.linea + 0.10
            total += 0.06
        return total

    @functools.cached_property
    def alturas(self) -> list[float]:
        """The height of each lane: it grows with the tallest stage's content."""
        alturas = []
        for _, campo in _CARRILES:
            if campo is None:
                alturas.append(_ALTO_EMOCIONES)
            else:
                contenido = max([self._altura_contenido(e.clave, campo) for e in self.etapas] + [self.linea])
                alturas.append(max(0.62, contenido + 2 * self.relleno + 0.05))
        return alturas

    @functools.cached_property
    def subtitulo(self) -> list[str]:
        return (
            _envolver(f"Objetivo: {self.mapa.objetivo}", self.ancho - 2 * self.margen, 11)
            if self.mapa.objetivo
            else []
        )

    @functools.cached_property
    def persona(self) -> str:
        p = self.mapa.persona
        if p is None:
            return ""
        partes = [p.nombre + (f", {p.edad} años" if p.edad is not None else "")]
        partes += [x for x in (p.ocupacion, p.ubicacion, p.segmento) if x]
        return "Persona: " + " · ".join(partes)

    @property
    def cabecera(self) -> float:
        return 0.62 + 0.26 * len(self.subtitulo) + (0.28 if self.persona else 0) + 0.15

    @property
    def y_carriles(self) -> float:
        return self.margen + self.cabecera + _FILA_ETAPAS + 0.02

    @property
    def alto(self) -> float:
        return self.margen + self.cabecera + _FILA_ETAPAS + sum(self.alturas) + _PIE


def dibujar_mapa(mapa: MapaDeViaje | dict[str, object], ancho_columna: float = 2.4) -> FiguraCurso:
    """Dibuja un :class:`~cj_course.MapaDeViaje`: las etapas en columnas y, en carriles, los puntos
    de contacto, las acciones, los pensamientos, la curva de emociones (de -2 a +2), los puntos de
    dolor y las oportunidades.

    Las interacciones se numeran (①, ②…) en el carril de puntos de contacto y en la curva de
    emociones, para seguirlas de un carril a otro. Los textos largos se parten en líneas y la
    altura de cada carril crece con su contenido, así que un mapa con varias interacciones por
    etapa sigue siendo legible. Las etapas sin interacciones aparecen vacías y marcadas.

    >>> from cj_course.modelo import mapa_ejemplo
    >>> fig = dibujar_mapa(mapa_ejemplo())
    >>> "Conciencia" in [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
    True
    """
    mapa = como_objeto(
        mapa,
        "mapa",
        MapaDeViaje,
        "Crea el mapa con MapaDeViaje(objetivo=..., interacciones=[Interaccion(...), ...]).",
    )
    if (
        isinstance(ancho_columna, bool)
        or not isinstance(ancho_columna, int | float)
        or not 1.5 <= ancho_columna <= 8
    ):
        raise ErrorCurso(
            "El ancho de columna debe ser un número de pulgadas entre 1,5 y 8.",
            campo="ancho_columna",
            pista="Usa el valor por omisión (2,4) o uno parecido.",
        )
    plano = _Plano(mapa, float(ancho_columna))
    # A wide map is shrunk to the page (or a phone's) width: its lane text grows with the width
    # (up to 1.15x: more would split channel names such as «Correo electrónico») so it stays
    # readable once shrunk. Wrapping and lane heights follow the size.
    escala = min(1.15, max(1.0, plano.ancho / ANCHO_MAPA_LEGIBLE))
    if escala > 1:
        plano = _Plano(mapa, float(ancho_columna), fs=round(plano.fs * escala, 1))
    fig = _figura(plano.ancho, plano.alto)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, plano.ancho)
    ax.set_ylim(plano.alto, 0)
    ax.axis("off")
    _mapa_cabecera(ax, plano)
    _mapa_etapas(ax, plano)
    _mapa_columnas(ax, plano)
    yl = plano.y_carriles
    for (titulo, campo), h in zip(_CARRILES, plano.alturas, strict=True):
        _mapa_carril(ax, plano, titulo, campo, yl, h)
        yl += h
    ax.text(
        plano.margen,
        plano.alto - _PIE / 2,
        "Emoción de -2 (muy negativa) a +2 (muy positiva). Los números "
        "enlazan cada interacción entre carriles.",
        fontsize=8.5,
        color=GRIS,
        va="center",
    )
    ax.text(
        plano.ancho - plano.margen,
        plano.alto - _PIE / 2,
        "cj_course",
        fontsize=8,
        color=GRIS_CLARO,
        va="center",
        ha="right",
    )
    fig.descripcion = _describir_mapa(plano)
    return fig


def _mapa_cabecera(ax: Axes, plano: _Plano) -> None:
    """The title, the stage model, the objective and the persona."""
    margen = plano.margen
    y = margen
    ax.text(
        margen,
        y,
        "Mapa de viaje del cliente",
        fontsize=18,
        fontweight="bold",
        color=TINTA,
        va="top",
        family=FUENTE,
    )
    ax.text(
        plano.ancho - margen,
        y + 0.05,
        f"Modelo: {plano.mapa.modelo_etapas.nombre}",
        fontsize=9,
        color=GRIS,
        va="top",
        ha="right",
    )
    y += 0.5
    for renglon in plano.subtitulo:
        ax.text(margen, y, renglon, fontsize=11, color="#495057", va="top")
        y += 0.26
    if plano.persona:
        ax.text(margen, y, plano.persona, fontsize=10.5, color=COLORES_ETAPAS[0], va="top", fontweight="bold")


def _mapa_etapas(ax: Axes, plano: _Plano) -> None:
    """The stage headers as chevrons, each with its number of interactions."""
    y, alto, punta = plano.margen + plano.cabecera, _FILA_ETAPAS, 0.18
    for i, etapa in enumerate(plano.etapas):
        izq, der = plano.x0 + i * plano.cw + 0.03, plano.x0 + (i + 1) * plano.cw - 0.03
        puntos = [
            (izq, y),
            (der - punta, y),
            (der, y + alto / 2 - 0.04),
            (der - punta, y + alto - 0.08),
            (izq, y + alto - 0.08),
        ]
        if i > 0:
            puntos.append((izq + punta, y + alto / 2 - 0.04))
        color = plano.colores[etapa.clave]
        ax.add_patch(patches.Polygon(puntos, closed=True, facecolor=color, edgecolor="none", zorder=3))
        centro = (izq + der) / 2 + (punta / 2 if i > 0 else 0) - punta / 2
        n = len(plano.grupos[etapa.clave])
        ax.text(
            centro,
            y + 0.2,
            etapa.nombre,
            ha="center",
            va="center",
            fontsize=11.5,
            fontweight="bold",
            color="white",
            zorder=4,
        )
        ax.text(
            centro,
            y + 0.41,
            f"{n} interacci{'ón' if n == 1 else 'ones'}",
            ha="center",
            va="center",
            fontsize=8,
            color="white",  # a tint of the stage colour would fall under 4,5:1
            zorder=4,
        )


def _mapa_columnas(ax: Axes, plano: _Plano) -> None:
    """Stage columns tinted; an empty stage framed and marked."""
    y, alto, cw = plano.y_carriles, sum(plano.alturas), plano.cw
    for i, etapa in enumerate(plano.etapas):
        x = plano.x0 + i * cw
        ax.add_patch(
            patches.Rectangle(
                (x, y),
                cw,
                alto,
                facecolor=_aclarar(plano.colores[etapa.clave], 0.94),
                edgecolor="none",
                zorder=0,
            )
        )
        if not plano.grupos[etapa.clave]:
            ax.add_patch(
                patches.Rectangle(
                    (x + 0.06, y + 0.06),
                    cw - 0.12,
                    alto - 0.12,
                    facecolor="none",
                    edgecolor=GRIS,
                    linestyle=(0, (4, 3)),
                    linewidth=1,
                    zorder=1,
                )
            )
            ax.text(
                plano.x0 + (i + 0.5) * cw,
                y + alto / 2,
                "Sin interacciones\ntodavía",
                ha="center",
                va="center",
                fontsize=10,
                color=GRIS,
                style="italic",
                zorder=2,
            )
    for j in range(len(plano.etapas) + 1):
        ax.plot([plano.x0 + j * cw] * 2, [y, y + alto], color="white", linewidth=2, zorder=1)


def _insignia(ax: Axes, x: float, yc: float, numero_: int, color: str) -> None:
    ax.add_patch(patches.Circle((x, yc), 0.1, facecolor=color, edgecolor="none", zorder=5))
    ax.text(
        x, yc, str(numero_), ha="center", va="center", fontsize=7, color="white", fontweight="bold", zorder=6
    )


def _mapa_carril(ax: Axes, plano: _Plano, titulo: str, campo: str | None, yl: float, h: float) -> None:
    """One lane: its title on the left and, in each stage, its blocks of text (or the emotion curve)."""
    margen = plano.margen
    ax.add_patch(
        patches.Rectangle(
            (margen, yl), plano.etiqueta_w - 0.1, h, facecolor="#F1F3F5", edgecolor="none", zorder=0
        )
    )
    ax.plot(
        [margen, plano.x0 + len(plano.etapas) * plano.cw],
        [yl + h, yl + h],
        color="white",
        linewidth=2.5,
        zorder=2,
    )
    ax.text(
        margen + 0.12,
        yl + h / 2,
        "\n".join(textwrap.wrap(titulo, 13, break_long_words=False)),
        ha="left",
        va="center",
        fontsize=10.5,
        fontweight="bold",
        color=TINTA,
        zorder=3,
    )
    if campo is None:
        _carril_emociones(ax, plano, yl, h)
        return
    for i, etapa in enumerate(plano.etapas):
        yy = yl + plano.relleno
        xi = plano.x0 + i * plano.cw + plano.relleno
        for inter, bloques in plano.bloques(etapa.clave, campo):
            for b in bloques:
                _mapa_bloque(ax, plano, campo, etapa.clave, inter, b, xi, yy)
                yy += len(b) * plano.linea + 0.10
            yy += 0.06


def _mapa_bloque(
    ax: Axes,
    plano: _Plano,
    campo: str,
    etapa: str,
    inter: Interaccion,
    renglones: list[str],
    xi: float,
    yy: float,
) -> None:
    """One block of text at (xi, yy), with the frame, badge or bullet of its lane."""
    color, numero_, linea = plano.colores[etapa], plano.numeros[id(inter)], plano.linea
    medio = yy + 0.02 + linea / 2  # the middle of the first line
    estilo: dict[str, Any] = {"color": TINTA}
    if campo in ("canal", "pensamiento"):
        redondeo, borde, grosor = (0.08, color, 1.2) if campo == "canal" else (0.12, GRIS_CLARO, 0.8)
        ax.add_patch(
            patches.FancyBboxPatch(
                (xi, yy),
                plano.cw - 2 * plano.relleno,
                len(renglones) * linea + 0.04,
                boxstyle=f"round,pad=0.03,rounding_size={redondeo}",
                facecolor="white",
                edgecolor=borde,
                linewidth=grosor,
                zorder=3,
            )
        )
    if campo in ("canal", "accion"):
        _insignia(ax, xi + 0.15, medio, numero_, color)
    if campo == "canal":
        estilo = {"fontweight": "bold", "color": TINTA}
    elif campo == "pensamiento":
        estilo = {"style": "italic", "color": "#495057"}
    elif campo in ("puntos_de_dolor", "oportunidades"):
        dolor = campo == "puntos_de_dolor"
        ax.text(
            xi + 0.2,
            medio,
            "✕" if dolor else "✓",
            ha="center",
            va="center",
            fontsize=9,
            color=ROJO if dolor else VERDE,
            fontweight="bold",
            zorder=5,
        )
        if len(plano.grupos[etapa]) > 1:  # which interaction this belongs to
            ax.text(
                xi + 0.06, medio, str(numero_), ha="center", va="center", fontsize=6.5, color=GRIS, zorder=5
            )
    ax.text(
        xi + 0.32,
        yy + 0.02,
        "\n".join(renglones),
        ha="left",
        va="top",
        fontsize=plano.fs,
        linespacing=1.18,
        zorder=4,
        **estilo,
    )


def _carril_emociones(ax: Axes, plano: _Plano, yl: float, h: float) -> None:
    """The emotion curve: one face per interaction, in stage order, on a -2..+2 scale."""
    x0, cw = plano.x0, plano.cw
    arriba, abajo = yl + 0.28, yl + h - 0.28
    centro = (arriba + abajo) / 2

    def a_y(e: float) -> float:
        return centro - e * (abajo - arriba) / 4

    ancho_total = x0 + len(plano.etapas) * cw
    for nivel in range(-2, 3):
        ax.plot(
            [x0, ancho_total],
            [a_y(nivel)] * 2,
            color=GRIS_CLARO if nivel else "#ADB5BD",
            linewidth=0.8 if nivel else 1.1,
            linestyle=(0, (2, 3)) if nivel else "-",
            zorder=1,
        )
        ax.text(
            x0 - 0.08,
            a_y(nivel),
            f"{nivel:+d}" if nivel else "0",
            ha="right",
            va="center",
            fontsize=7.5,
            color=GRIS,
            zorder=3,
        )
    xs, ys, es = [], [], []
    for i, etapa in enumerate(plano.etapas):
        lista = plano.grupos[etapa.clave]
        for j, inter in enumerate(lista):
            xs.append(x0 + i * cw + cw * (j + 0.5) / len(lista))
            ys.append(a_y(inter.emocion))
            es.append(inter.emocion)
    if not xs:  # every column already says it has no interactions
        return
    if len(xs) > 1:
        fino = np.linspace(xs[0], xs[-1], 400)
        curva = np.interp(fino, xs, ys)
        ax.fill_between(
            fino,
            centro,
            curva,
            where=curva <= centro,
            color=VERDE,
            alpha=0.12,
            interpolate=True,
            zorder=2,
            linewidth=0,
        )
        ax.fill_between(
            fino,
            centro,
            curva,
            where=curva >= centro,
            color=ROJO,
            alpha=0.12,
            interpolate=True,
            zorder=2,
            linewidth=0,
        )
        ax.plot(xs, ys, color="#495057", linewidth=2.2, zorder=4, solid_joinstyle="round")
    # Points were collected in stage order, the same order in which the interactions were numbered.
    for n, (x, yv, e) in enumerate(zip(xs, ys, es, strict=True), start=1):
        _cara(ax, x, yv, e, 0.17)
        ax.text(x + 0.22, yv - 0.14, str(n), fontsize=7.5, color=GRIS, fontweight="bold", zorder=7)


# --- funnel --------------------------------------------------------------------------------------


def dibujar_embudo(
    datos: pd.DataFrame, pasos: Sequence[str] | None = None, titulo: str = "Embudo de conversión"
) -> FiguraCurso:
    """Dibuja un embudo: una barra por paso, ancho proporcional a los clientes, con la conversión
    de cada paso respecto al anterior y al primero.

    ``datos`` es la tabla que devuelve :func:`cj_course.metricas.embudo` o, si pasas ``pasos``,
    un registro de eventos (el embudo se calcula aquí).

    >>> import pandas as pd
    >>> tabla = pd.DataFrame({"paso": ["visita_web", "compra"], "clientes": [200, 30]})
    >>> fig = dibujar_embudo(tabla)
    >>> "15,0 %" in " ".join(t.get_text() for t in fig.axes[0].texts)
    True
    """
    from .datos.vocabulario import etiqueta_evento
    from .metricas import embudo as calcular_embudo

    if isinstance(datos, pd.DataFrame) and pasos is not None:
        tabla = calcular_embudo(datos, pasos)
    elif isinstance(datos, pd.DataFrame) and {"paso", "clientes"} <= set(datos.columns):
        tabla = datos
    else:
        raise ErrorCurso(
            "dibujar_embudo necesita la tabla de embudo(...) o un registro de eventos junto con 'pasos'.",
            campo="datos",
            pista='Por ejemplo dibujar_embudo(eventos, pasos=["visita_web", "agregar_carrito", "compra"]).',
        )
    if len(tabla) == 0:
        raise ErrorCurso(
            "La tabla del embudo está vacía.",
            campo="datos",
            pista="Calcula el embudo con al menos dos pasos.",
        )
    clientes = pd.to_numeric(tabla["clientes"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(clientes).any() or (clientes < 0).any():
        raise ErrorCurso(
            "La columna 'clientes' debe tener conteos (números de 0 en adelante).",
            campo="clientes",
            pista="Usa la tabla que devuelve cj_course.metricas.embudo.",
        )
    n = len(tabla)
    etiquetas = [etiqueta_evento(p) for p in tabla["paso"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        paso_a_paso = np.r_[np.nan, 100 * clientes[1:] / np.where(clientes[:-1] > 0, clientes[:-1], np.nan)]
    peor = int(np.nanargmin(paso_a_paso)) if np.isfinite(paso_a_paso).any() else -1

    ancho, col_izq, col_der, fila, hueco, arriba = 10.0, 2.3, 1.5, 0.62, 0.42, 1.0
    alto = arriba + n * fila + (n - 1) * hueco + 0.35
    fig = _figura(ancho, alto)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, ancho)
    ax.set_ylim(alto, 0)
    ax.axis("off")
    centro = col_izq + (ancho - col_izq - col_der) / 2
    ancho_max = ancho - col_izq - col_der - 0.3
    maximo = clientes.max() if clientes.max() > 0 else 1
    colores = LinearSegmentedColormap.from_list("embudo", [COLORES_ETAPAS[0], COLORES_ETAPAS[2]])
    ax.text(0.3, 0.38, titulo, fontsize=15, fontweight="bold", color=TINTA, va="center")
    if peor > 0:
        ax.text(
            0.3,
            0.7,
            f"Mayor caída: de «{etiquetas[peor - 1]}» a «{etiquetas[peor]}» "
            f"(solo avanza el {numero(paso_a_paso[peor], 1, porcentaje=True)})",
            fontsize=10,
            color=GRIS,
            va="center",
        )
    anterior = None
    for i, c in enumerate(clientes):
        w = max(ancho_max * c / maximo, 0.03)
        y = arriba + i * (fila + hueco)
        color = colores(i / max(n - 1, 1))
        if anterior is not None:  # the flow from the previous bar, as a soft trapezoid
            wa, ya = anterior
            ax.add_patch(
                patches.Polygon(
                    [
                        (centro - wa / 2, ya + fila),
                        (centro + wa / 2, ya + fila),
                        (centro + w / 2, y),
                        (centro - w / 2, y),
                    ],
                    closed=True,
                    facecolor=GRIS_CLARO,
                    edgecolor="none",
                    alpha=0.55,
                )
            )
            destacado = i == peor
            ax.text(
                centro + max(wa, w) / 2 + 0.12,
                y - hueco / 2,
                f"↓ avanza el {numero(paso_a_paso[i], 1, porcentaje=True)}",
                ha="left",
                va="center",
                fontsize=9.5,
                color=ROJO if destacado else GRIS,
                fontweight="bold" if destacado else "normal",
            )
        ax.add_patch(
            patches.FancyBboxPatch(
                (centro - w / 2, y),
                w,
                fila,
                boxstyle="round,pad=0,rounding_size=0.06",
                facecolor=color,
                edgecolor="none",
            )
        )
        texto_dentro = _ancho_texto(numero(c, 0), 12, "bold") + 0.15 < w
        ax.text(
            centro if texto_dentro else centro + w / 2 + 0.1,
            y + fila / 2,
            numero(c, 0),
            ha="center" if texto_dentro else "left",
            va="center",
            fontsize=12,
            fontweight="bold",
            color="white" if texto_dentro else TINTA,
        )
        total = 100 * c / clientes[0] if clientes[0] else float("nan")
        # The step's label and event on the left, its share of the first step on the right.
        izquierda, derecha = 0.3, ancho - 0.3
        rotulos: list[tuple[float, float, str, str, int, str, dict[str, Any]]] = [
            (izquierda, -0.1, etiquetas[i], "left", 11, TINTA, {"fontweight": "bold"}),
            (izquierda, 0.14, str(tabla["paso"].iloc[i]), "left", 8, GRIS, {"family": "monospace"}),
            (derecha, -0.08, numero(total, 1, porcentaje=True), "right", 11, TINTA, {"fontweight": "bold"}),
            (derecha, 0.15, "del primer paso", "right", 8, GRIS, {}),
        ]
        for x, dy, texto, lado, tamano, tinta, estilo in rotulos:
            ax.text(x, y + fila / 2 + dy, texto, ha=lado, va="center", fontsize=tamano, color=tinta, **estilo)
        anterior = (w, y)
    fig.descripcion = _describir_embudo(titulo, etiquetas, clientes, paso_a_paso, peor)
    return fig


# --- cohorts -------------------------------------------------------------------------------------


def _etiqueta_cohorte(valor) -> str:
    if isinstance(valor, pd.Period):
        if valor.freqstr.startswith("M"):
            return f"{_MESES[valor.month - 1]} {valor.year}"
        if valor.freqstr.startswith("Q"):
            return f"T{valor.quarter} {valor.year}"
        inicio = valor.start_time
        return f"sem. {inicio.day} {_MESES[inicio.month - 1]} {inicio.year}"
    return str(valor)


def dibujar_cohortes(matriz: pd.DataFrame, titulo: str = "Retención por cohortes") -> FiguraCurso:
    """Mapa de calor de la retención por cohortes (la tabla de :func:`cj_course.metricas.retencion_cohortes`).

    Cada fila es una cohorte y cada columna los periodos transcurridos; las celdas muestran el
    porcentaje que vuelve. La columna 0 (siempre 100 %) se pinta en gris con el tamaño de la
    cohorte, y la escala de color usa las demás columnas para que las diferencias se vean.

    >>> import pandas as pd
    >>> m = pd.DataFrame([[100.0, 20.0], [100.0, float("nan")]], index=["ene", "feb"], columns=[0, 1])
    >>> fig = dibujar_cohortes(m)
    >>> "20,0" in [t.get_text() for t in fig.axes[0].texts]
    True
    """
    if not isinstance(matriz, pd.DataFrame) or matriz.shape[0] == 0 or matriz.shape[1] == 0:
        raise ErrorCurso(
            "dibujar_cohortes necesita la matriz de retencion_cohortes(...).",
            campo="matriz",
            pista="Calcúlala con cj_course.metricas.retencion_cohortes(eventos).",
        )
    try:
        valores = matriz.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise ErrorCurso(
            "La matriz de cohortes debe contener solo números (porcentajes).",
            campo="matriz",
            pista="Usa la tabla que devuelve retencion_cohortes.",
        ) from None
    filas, columnas = valores.shape
    tamanos = matriz.attrs.get("clientes")
    unidad = {"mes": "Meses", "semana": "Semanas", "trimestre": "Trimestres"}.get(
        str(matriz.attrs.get("periodo")), "Periodos"
    )
    ancho = min(16, 2.6 + 0.72 * columnas)
    alto = min(14, 1.6 + 0.36 * filas)
    fig = _figura(ancho, alto)
    ax = fig.add_axes((1.25 / ancho, 0.55 / alto, 1 - 1.55 / ancho, 1 - 1.45 / alto))
    resto = valores[:, 1:] if columnas > 1 else valores
    finitos = resto[np.isfinite(resto)]
    vmax = float(np.percentile(finitos, 98)) if finitos.size else 100.0
    vmax = max(vmax, 1.0)
    mapa_color = LinearSegmentedColormap.from_list("retencion", ["#F8F9FA", "#A5D8FF", "#1C7ED6", "#0B3D91"])
    mostrados = np.where(np.isfinite(valores), valores, np.nan)
    imagen = np.ma.masked_invalid(mostrados)
    ax.imshow(imagen, cmap=mapa_color, vmin=0, vmax=vmax, aspect="auto", interpolation="nearest")
    if columnas > 0:
        ax.add_patch(
            patches.Rectangle((-0.5, -0.5), 1, filas, facecolor="#E9ECEF", edgecolor="white", zorder=2)
        )
    for i in range(filas):
        for j in range(columnas):
            v = valores[i, j]
            if not np.isfinite(v):
                continue
            if j == 0:
                texto = (
                    f"n={numero(float(tamanos.iloc[i]), 0)}"
                    if tamanos is not None and len(tamanos) == filas
                    else numero(v, 0)
                )
                ax.text(j, i, texto, ha="center", va="center", fontsize=8, color=GRIS, zorder=3)
            else:
                oscuro = v / vmax > 0.55
                ax.text(
                    j,
                    i,
                    numero(v, 1),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if oscuro else TINTA,
                    zorder=3,
                )
    ax.set_xticks(range(columnas))
    ax.set_xticklabels([str(c) for c in matriz.columns])
    ax.set_yticks(range(filas))
    ax.set_yticklabels([_etiqueta_cohorte(v) for v in matriz.index])
    inicio = matriz.attrs.get("inicio", "compra")
    desde = "la primera compra" if inicio == "compra" else f"el primer evento «{inicio}»"
    ax.set_xlabel(f"{unidad} desde {desde} (0 = el periodo de la cohorte)", fontsize=9.5, color=GRIS)
    ax.set_ylabel("Cohorte", fontsize=9.5, color=GRIS)
    ax.tick_params(length=0, labelsize=8.5, colors="#495057")
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    for lado in ax.spines.values():
        lado.set_visible(False)
    ax.set_xticks(np.arange(-0.5, columnas), minor=True)
    ax.set_yticks(np.arange(-0.5, filas), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.2)
    ax.tick_params(which="minor", length=0)
    fig.text(0.2 / ancho, 1 - 0.3 / alto, titulo, fontsize=14, fontweight="bold", color=TINTA, va="center")
    fig.text(
        1 - 0.15 / ancho,
        0.25 / alto,
        "Celdas: % de la cohorte que vuelve en ese periodo · vacío: aún sin datos",
        fontsize=8,
        color=GRIS,
        ha="right",
        va="center",
    )
    fig.descripcion = _describir_cohortes(titulo, matriz, valores, unidad)
    return fig


# --- NPS -----------------------------------------------------------------------------------------


def dibujar_nps(puntuaciones, titulo: str = "Net Promoter Score") -> FiguraCurso:
    """Distribución de las respuestas de 0 a 10 coloreada por detractores (0-6), pasivos (7-8) y
    promotores (9-10), con el NPS y su intervalo de confianza del 95 % en el título.

    >>> fig = dibujar_nps([10, 9, 9, 8, 7, 6, 3])
    >>> fig.axes[0].get_title(loc="left").startswith("NPS")
    True
    """
    from .metricas import nps, nps_intervalo, validar_puntuaciones

    valores = validar_puntuaciones(puntuaciones, 0, 10, "NPS")
    conteo = np.bincount(valores, minlength=11)
    total = len(valores)
    valor_nps, intervalo = nps(valores), nps_intervalo(valores)
    fig = _figura(9, 5.4)
    ax = fig.add_axes((0.08, 0.3, 0.88, 0.52))
    colores = [ROJO] * 7 + [AMBAR] * 2 + [VERDE] * 2
    barras = ax.bar(range(11), 100 * conteo / total, color=colores, width=0.78, zorder=3)
    for barra, c in zip(barras, conteo, strict=True):
        if c:
            ax.text(
                barra.get_x() + barra.get_width() / 2,
                barra.get_height(),
                numero(c, 0),
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=GRIS,
            )
    _estilo_ejes(ax)
    ax.set_xticks(range(11))
    ax.set_xlim(-0.6, 10.6)
    ax.set_ylim(0, max(100 * conteo / total) * 1.15 + 1)
    ax.set_xlabel(
        "¿Qué tan probable es que nos recomiendes? (0 = nada, 10 = muchísimo)", fontsize=9.5, color=GRIS
    )
    ax.set_ylabel("% de respuestas", fontsize=9.5, color=GRIS)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: numero(v, 0)))
    ax.grid(axis="y", color="#F1F3F5", zorder=0)
    ax.set_title(
        f"NPS = {numero(valor_nps, 1)}   (IC 95 %: {numero(intervalo.inferior, 1)} a "
        f"{numero(intervalo.superior, 1)}; {numero(total, 0)} respuestas)",
        loc="left",
        fontsize=11,
        color="#495057",
        pad=10,
    )
    fig.text(0.08, 0.94, titulo, fontsize=15, fontweight="bold", color=TINTA, va="center")

    barra = fig.add_axes((0.08, 0.11, 0.88, 0.06))
    barra.axis("off")
    grupos = [
        ("Detractores", int(conteo[:7].sum()), ROJO),
        ("Pasivos", int(conteo[7:9].sum()), AMBAR),
        ("Promotores", int(conteo[9:].sum()), VERDE),
    ]
    izquierda = 0.0
    for k, (nombre, c, color) in enumerate(grupos):
        parte = c / total
        barra.barh(0, parte, left=izquierda, color=color, height=1)
        # Labels go under the bar, pinned to its ends, so thin segments never hide them.
        x, alineado = ((0.0, "left"), (izquierda + parte / 2, "center"), (1.0, "right"))[k]
        barra.text(
            x,
            -0.62,
            f"{nombre}: {numero(100 * parte, 1, porcentaje=True)}",
            ha=alineado,
            va="top",
            fontsize=9.5,
            color=color,
            fontweight="bold",
        )
        izquierda += parte
    barra.set_xlim(0, 1)
    barra.set_ylim(-0.5, 0.5)
    fig.text(
        0.08,
        0.19,
        "NPS = % promotores − % detractores   (detractores 0-6 · pasivos 7-8 · promotores 9-10)",
        fontsize=8.5,
        color=GRIS,
    )
    fig.descripcion = _describir_nps(titulo, conteo, valor_nps, intervalo)
    return fig


# --- persona card --------------------------------------------------------------------------------


def dibujar_persona(persona) -> FiguraCurso:
    """Tarjeta de una buyer persona: iniciales, nombre y edad a la izquierda; sus características
    (ocupación, intereses, objetivos, desafíos, canales…) a la derecha y su frase al pie.

    >>> from cj_course.modelo import persona_ejemplo
    >>> fig = dibujar_persona(persona_ejemplo())
    >>> "María" in [t.get_text() for t in fig.axes[0].texts]
    True
    """
    from .modelo import Persona

    persona = como_objeto(
        persona,
        "persona",
        Persona,
        'Créala con Persona("María", edad=28, ocupacion="Ingeniera de software", ...).',
    )
    rasgos = persona.caracteristicas()
    rasgos.pop("Edad", None)  # both shown under the name
    rasgos.pop("Segmento", None)
    ancho, izq = 8.6, 2.6
    texto_w = ancho - izq - 0.75
    fs = 10
    linea = fs * 1.3 / 72
    bloques = [(k, _envolver(v, texto_w, fs)) for k, v in rasgos.items()]
    cita = _envolver(f"«{persona.cita}»", texto_w - 0.2, 11) if persona.cita else []
    alto_rasgos = sum(0.22 + len(b) * linea + 0.14 for _, b in bloques) or 0.6
    alto = max(3.6, 0.55 + alto_rasgos + (len(cita) * 0.21 + 0.35 if cita else 0) + 0.35)
    fig = _figura(ancho, alto)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, ancho)
    ax.set_ylim(alto, 0)
    ax.axis("off")
    ax.add_patch(
        patches.FancyBboxPatch(
            (0.08, 0.08),
            ancho - 0.16,
            alto - 0.16,
            boxstyle="round,pad=0,rounding_size=0.18",
            facecolor="white",
            edgecolor=GRIS_CLARO,
            linewidth=1.2,
        )
    )
    ax.add_patch(
        patches.FancyBboxPatch(
            (0.08, 0.08),
            izq,
            alto - 0.16,
            boxstyle="round,pad=0,rounding_size=0.18",
            facecolor=COLORES_ETAPAS[0],
            edgecolor="none",
        )
    )
    ax.add_patch(
        patches.Rectangle((izq - 0.2, 0.08), 0.28, alto - 0.16, facecolor=COLORES_ETAPAS[0], edgecolor="none")
    )
    cx = 0.08 + izq / 2
    ax.add_patch(
        patches.Circle(
            (cx, 1.05), 0.58, facecolor=_aclarar(COLORES_ETAPAS[0], 0.85), edgecolor="white", linewidth=2.5
        )
    )
    iniciales = "".join(p[0] for p in persona.nombre.split()[:2]).upper()
    ax.text(
        cx, 1.05, iniciales, ha="center", va="center", fontsize=26, fontweight="bold", color=COLORES_ETAPAS[0]
    )
    ax.text(cx, 1.95, persona.nombre, ha="center", va="center", fontsize=16, fontweight="bold", color="white")
    y = 2.3
    if persona.edad is not None:
        ax.text(cx, y, f"{persona.edad} años", ha="center", va="center", fontsize=11, color="white")
        y += 0.3
    if persona.segmento:
        for renglon in _envolver(persona.segmento, izq - 0.4, 9):
            ax.text(
                cx, y, renglon, ha="center", va="center", fontsize=9, color=_aclarar(COLORES_ETAPAS[0], 0.7)
            )
            y += 0.2
    ax.text(
        cx,
        alto - 0.35,
        "Buyer persona",
        ha="center",
        va="center",
        fontsize=8.5,
        color=_aclarar(COLORES_ETAPAS[0], 0.6),
        style="italic",
    )

    x = izq + 0.4
    y = 0.42
    if not bloques:
        ax.text(
            x,
            y + 0.2,
            "Aún no tiene características: agrega ocupación, intereses, objetivos…",
            fontsize=10,
            color=GRIS,
            style="italic",
            va="top",
        )
    for etiqueta, renglones in bloques:
        ax.text(x, y, etiqueta.upper(), fontsize=8, fontweight="bold", color=COLORES_ETAPAS[1], va="top")
        y += 0.22
        ax.text(x, y, "\n".join(renglones), fontsize=fs, color=TINTA, va="top", linespacing=1.15)
        y += len(renglones) * linea + 0.14
    if cita:
        y += 0.05
        ax.plot([x, ancho - 0.35], [y, y], color=GRIS_CLARO, linewidth=1)
        ax.text(
            x + 0.05,
            y + 0.14,
            "\n".join(cita),
            fontsize=11,
            style="italic",
            color="#495057",
            va="top",
            linespacing=1.2,
        )
    fig.descripcion = _describir_persona(persona)
    return fig


# --- text alternatives (what a screen reader says instead of the figure) -------------------------


def _describir_mapa(plano: _Plano) -> str:
    """Stages, touchpoints per stage, the low (and high) point of the emotion curve, the main pains."""
    mapa = plano.mapa
    partes = ["Mapa de viaje del cliente"]
    if mapa.persona is not None:
        partes[0] += f" de {mapa.persona.nombre}"
    etapas = plano.etapas
    partes[0] += f", con {len(etapas)} etapas en columnas: {_lista([e.nombre for e in etapas])}."
    if mapa.objetivo:
        partes.append(f"Objetivo: {mapa.objetivo.rstrip('.')}.")
    por_etapa = []
    vacias = []
    for etapa in etapas:
        canales = list(dict.fromkeys(i.canal for i in plano.grupos[etapa.clave]))
        if canales:
            por_etapa.append(f"{etapa.nombre}: {_lista(canales)}")
        else:
            vacias.append(etapa.nombre)
    if por_etapa:
        partes.append("Puntos de contacto por etapa: " + "; ".join(por_etapa) + ".")
    if vacias:
        partes.append(f"Sin interacciones: {_lista(vacias)}.")
    todas = [(etapa, i) for etapa in etapas for i in plano.grupos[etapa.clave]]
    if todas:
        nombre = {e.clave: e.nombre for e in etapas}
        bajo = min(todas, key=lambda par: par[1].emocion)[1]
        alto = max(todas, key=lambda par: par[1].emocion)[1]
        partes.append(
            f"La curva de emociones (de -2 a +2) llega a su punto más bajo en {nombre[bajo.etapa]}, "
            f"con {bajo.canal} ({_EMOCIONES[bajo.emocion].lower()}, {bajo.emocion:+d})"
            + (
                f", y a su punto más alto en {nombre[alto.etapa]}, con {alto.canal} "
                f"({_EMOCIONES[alto.emocion].lower()}, {alto.emocion:+d})."
                if alto.emocion != bajo.emocion
                else "; es plana."
            )
        )
        # the pains of the worst moments first: what the reader should see first
        dolores = [d for _, i in sorted(todas, key=lambda par: par[1].emocion) for d in i.puntos_de_dolor]
        dolores = list(dict.fromkeys(dolores))
        if dolores:
            partes.append(
                "Principales puntos de dolor: "
                + "; ".join(dolores[:3])
                + (f" (y {len(dolores) - 3} más)" if len(dolores) > 3 else "")
                + "."
            )
    return " ".join(partes)


def _describir_embudo(titulo: str, etiquetas: list[str], clientes, paso_a_paso, peor: int) -> str:
    pasos = [f"{etiquetas[0]} ({numero(clientes[0], 0)} clientes)"]
    for i in range(1, len(etiquetas)):
        pasos.append(
            f"{etiquetas[i]} ({numero(clientes[i], 0)}, {numero(paso_a_paso[i], 1, porcentaje=True)} del anterior)"
            if np.isfinite(paso_a_paso[i])
            else f"{etiquetas[i]} ({numero(clientes[i], 0)})"
        )
    texto = f"Embudo «{titulo}» con {len(etiquetas)} pasos: " + "; ".join(pasos) + "."
    if peor > 0:
        texto += (
            f" La mayor caída es de «{etiquetas[peor - 1]}» a «{etiquetas[peor]}»: "
            f"solo sigue el {numero(paso_a_paso[peor], 1, porcentaje=True)}."
        )
    return texto


def _describir_cohortes(titulo: str, matriz: pd.DataFrame, valores, unidad: str) -> str:
    filas, columnas = valores.shape
    texto = (
        f"Mapa de calor «{titulo}»: {filas} cohortes en filas (de {matriz.index[0]} a {matriz.index[-1]}) "
        f"y {columnas} columnas de {unidad.lower()} transcurridos; cada celda dice qué porcentaje vuelve, "
        "y cuanto más oscuro el azul, más vuelve."
    )
    if columnas > 1:
        primera = valores[:, 1]
        finitos = primera[np.isfinite(primera)]
        if finitos.size and finitos.min() == finitos.max():
            texto += f" En la columna 1 la retención es {numero(float(finitos.min()), 1, porcentaje=True)}."
        elif finitos.size:
            texto += (
                f" En la columna 1 la retención va de {numero(float(finitos.min()), 1, porcentaje=True)} "
                f"a {numero(float(finitos.max()), 1, porcentaje=True)}"
                f" (media {numero(float(finitos.mean()), 1, porcentaje=True)})."
            )
    return texto


def _describir_nps(titulo: str, conteo, valor_nps: float, intervalo) -> str:
    total = int(conteo.sum())
    grupos = [
        ("detractores, de 0 a 6", int(conteo[:7].sum())),
        ("pasivos, 7 y 8", int(conteo[7:9].sum())),
        ("promotores, 9 y 10", int(conteo[9:].sum())),
    ]
    return (
        f"Distribución de {numero(total, 0)} respuestas de 0 a 10 («{titulo}»): "
        + ", ".join(f"{numero(n, 0)} {g} ({numero(100 * n / total, 1, porcentaje=True)})" for g, n in grupos)
        + f". NPS de {numero(valor_nps, 1)}, con intervalo de confianza del 95 % de "
        f"{numero(intervalo.inferior, 1)} a {numero(intervalo.superior, 1)}."
    )


def _describir_persona(persona) -> str:
    rasgos = persona.caracteristicas()
    texto = f"Ficha de la buyer persona {persona.nombre}. " + " ".join(
        f"{clave}: {str(valor).rstrip('.')}." for clave, valor in rasgos.items()
    )
    if persona.cita:
        texto += f" Su frase: «{persona.cita.rstrip('.')}»."
    return texto


# --- export --------------------------------------------------------------------------------------


def exportar_figura(fig: Figure, ruta: str | Path, dpi: int = 200) -> Path:
    """Guarda ``fig`` en ``ruta``; el formato sale de la extensión: ``.png``, ``.svg`` o ``.pdf``.

    Crea la carpeta si no existe y devuelve la ruta escrita. Las figuras se guardan con fondo blanco.

    >>> import tempfile, pathlib
    >>> fig = dibujar_nps([10, 9, 7, 3])
    >>> exportar_figura(fig, pathlib.Path(tempfile.mkdtemp()) / "nps.svg").suffix
    '.svg'
    """
    exigir_tipo(
        fig,
        Figure,
        "Se esperaba una figura de matplotlib",
        campo="fig",
        pista="Pasa lo que devuelve dibujar_mapa, dibujar_embudo, etc.",
    )
    if not isinstance(ruta, str | Path) or not str(ruta).strip():
        raise ErrorCurso(
            "La ruta debe ser un texto con el nombre del archivo.",
            campo="ruta",
            pista='Por ejemplo "mi_mapa.png".',
        )
    ruta = Path(ruta)
    formato = ruta.suffix.lower().lstrip(".")
    if formato not in ("png", "svg", "pdf"):
        raise ErrorCurso(
            f"No sé guardar en formato '{ruta.suffix or '(sin extensión)'}'.",
            campo="ruta",
            pista="Termina el nombre en .png, .svg o .pdf.",
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 50 <= dpi <= 600:
        raise ErrorCurso(
            "La resolución (dpi) debe ser un entero entre 50 y 600.", campo="dpi", pista="Usa 200."
        )
    ruta.parent.mkdir(parents=True, exist_ok=True)
    metadatos = {"Creator": "cj_course"} if formato in ("svg", "pdf") else None
    fig.savefig(
        ruta,
        format=formato,
        dpi=dpi,
        facecolor="white",
        bbox_inches="tight",
        pad_inches=0.1,
        metadata=metadatos,
    )
    return ruta

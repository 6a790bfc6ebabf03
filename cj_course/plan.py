"""El plan del emprendedor: su proyecto «Mi negocio» como documento PDF o HTML para llevarse.

:func:`exportar_plan` escribe, en este orden: la portada, la tabla de segmentos, la tarjeta de cada
persona, el mapa de viaje de cada persona, el correo de bienvenida rendido para dos clientes de
muestra, el plan de métricas enlazado a las etapas y los pendientes que señalan las comprobaciones
del proyecto. Todo sin herramientas del sistema: el PDF lo hace matplotlib (``PdfPages``) y el HTML
es un solo archivo con las figuras dentro, que se abre sin conexión (y se imprime desde el navegador).

>>> import tempfile, pathlib
>>> from cj_course.proyecto import proyecto_ejemplo
>>> ruta = exportar_plan(proyecto_ejemplo("nubestock"), pathlib.Path(tempfile.mkdtemp()) / "plan.html")
>>> "Mapa de viaje de Andrés" in ruta.read_text(encoding="utf-8")
True
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import tempfile
import textwrap
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from ._errores import ErrorCurso
from .modelo import MapaDeViaje, como_objeto
from .persistencia import escribir_atomico
from .proyecto import (
    CLIENTES_DE_MUESTRA,
    MERCADOS,
    MiNegocio,
    clientes_para_probar,
    mapa_a_csv,
    mapa_a_json,
    pendientes,
    registrar_plan,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["exportar_mapa", "exportar_plan"]

_MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def _fecha(dia: dt.date) -> str:
    """``3 de diciembre de 2026``."""
    return f"{dia.day} de {_MESES[dia.month - 1]} de {dia.year}"


# --- what the plan says, once, for both formats ----------------------------------------------


@dataclass
class _Correo:
    cliente: str
    asunto: str | None = None
    cuerpo: str | None = None
    error: str | None = None


@dataclass
class _Contenido:
    """Every text of the plan, computed once: the PDF and the HTML only lay it out."""

    proyecto: MiNegocio
    fecha: str
    segmentos: list[list[str]] = field(default_factory=list)
    correos: list[_Correo] = field(default_factory=list)
    envio: str = ""
    metricas: list[list[str]] = field(default_factory=list)
    por_etapa: list[tuple[str, str]] = field(default_factory=list)
    pendientes: list[tuple[bool, str, str]] = field(default_factory=list)

    @property
    def mercado(self) -> str:
        return f"{self.proyecto.mercado} ({MERCADOS[self.proyecto.mercado]})"

    def resumen(self) -> list[str]:
        p = self.proyecto
        return [
            _cuantos(len(p.segmentos), "segmento"),
            _cuantos(len(p.personas), "persona"),
            _cuantos(len(p.mapas), "mapa de viaje", "mapas de viaje"),
            "correo de bienvenida" if p.correo else "sin correo de bienvenida",
            _cuantos(len(p.metricas.metricas), "métrica"),
        ]


def _cuantos(n: int, singular: str, plural: str | None = None) -> str:
    """``_cuantos(1, "persona")`` → ``"1 persona"``; ``_cuantos(2, "persona")`` → ``"2 personas"``."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _contenido(p: MiNegocio, hoy: dt.date | None = None) -> _Contenido:
    c = _Contenido(p, _fecha(hoy or dt.date.today()))
    for s in p.segmentos:
        personas = [
            x.nombre for x in p.personas if x.segmento and x.segmento.casefold() == s.nombre.casefold()
        ]
        c.segmentos.append(
            [
                s.nombre,
                ", ".join(s.demograficos) or "—",
                ", ".join(s.psicograficos) or "—",
                ", ".join(s.conductuales) or "—",
                ", ".join(personas) or "—",
            ]
        )
    if p.correo is not None:
        etapa = p.nombre_etapa(p.correo_etapa) if p.correo_etapa else "(etapa sin definir)"
        c.envio = f"Se envía en la etapa {etapa} al segmento {p.correo_segmento or '(sin definir)'}."
        for cliente in clientes_para_probar(p)[:CLIENTES_DE_MUESTRA]:
            nombre = " ".join(x for x in (cliente.get("nombre"), cliente.get("apellido")) if x) or "Cliente"
            if cliente.get("empresa"):
                nombre += f" ({cliente['empresa']})"
            try:
                asunto, cuerpo = p.correo.renderizar(cliente)
            except ErrorCurso as e:
                c.correos.append(_Correo(nombre, error=f"No se pudo rellenar: {e.mensaje}"))
                continue
            if p.correo.llamada_a_la_accion:
                cuerpo += f"\n\n[{p.correo.llamada_a_la_accion}]"
            c.correos.append(_Correo(nombre, asunto, cuerpo))
    for m in p.metricas.metricas:
        etapas = ", ".join(p.nombre_etapa(e) for e in p.etapas_de(m.metrica)) or "—"
        c.metricas.append([m.metrica, m.como or "—", m.herramienta or "—", etapas])
    for clave in p.etapas():
        medidas = [m.metrica for m in p.metricas_de_etapa(clave)]
        c.por_etapa.append((p.nombre_etapa(clave), ", ".join(medidas) or "sin métrica"))
    c.pendientes = [(x.obligatoria, x.mensaje, x.pista) for x in pendientes(p)]
    return c


_ENCABEZADO_SEGMENTOS = ["Segmento", "Demográficos", "Psicográficos", "Conductuales", "Personas"]
_ENCABEZADO_METRICAS = ["Métrica", "Cómo se mide", "Herramienta", "Etapas que mide"]


def _figuras(p: MiNegocio) -> tuple[list[tuple[str, Figure]], list[tuple[str, Figure]]]:
    """(title, figure) of every persona card and of every journey map, one map per persona."""
    from .graficos import dibujar_mapa, dibujar_persona

    tarjetas: list[tuple[str, Figure]] = [
        (f"Persona: {x.nombre}" + (f" · segmento {x.segmento}" if x.segmento else ""), dibujar_persona(x))
        for x in p.personas
    ]
    mapas: list[tuple[str, Figure]] = []
    for i, mapa in enumerate(p.mapas, start=1):
        titulo = f"Mapa de viaje de {mapa.persona.nombre}" if mapa.persona else f"Mapa de viaje {i}"
        mapas.append((titulo, dibujar_mapa(mapa)))
    return tarjetas, mapas


# --- HTML ----------------------------------------------------------------------------------

_CSS = """
body{font-family:"DejaVu Sans",system-ui,sans-serif;color:#212529;max-width:64rem;margin:2rem auto;padding:0 1rem;
line-height:1.45}
h1{font-size:2rem;margin-bottom:.2rem}h2{border-bottom:2px solid #3B5BDB;padding-bottom:.2rem;margin-top:2.5rem}
.portada{border-left:6px solid #3B5BDB;padding:1rem 1.5rem;background:#f4f6fb}
.portada .sub{color:#6C757D;font-size:1.1rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{border:1px solid #DEE2E6;padding:.4rem .5rem;
text-align:left;vertical-align:top}th{background:#f1f3f5}
figure{margin:1.2rem 0}figure img{max-width:100%;height:auto;border:1px solid #DEE2E6}
figure.tarjeta img{max-width:40rem}
figcaption{color:#6C757D;font-size:.9rem}
.correo{border:1px solid #DEE2E6;border-radius:6px;padding:.8rem 1rem;margin:.8rem 0;white-space:pre-wrap}
.correo .asunto{font-weight:bold}.error{color:#b03a2e}
.pendiente{margin:.4rem 0}.pista{color:#555;margin-left:1.6em}
@media print{body{margin:0;max-width:none}h2{break-before:page}figure{break-inside:avoid}}
"""


def _tabla_html(encabezado: list[str], filas: list[list[str]]) -> str:
    cabeza = "".join(f'<th scope="col">{escape(h)}</th>' for h in encabezado)
    cuerpo = "".join("<tr>" + "".join(f"<td>{escape(x)}</td>" for x in fila) + "</tr>" for fila in filas)
    return f"<table><thead><tr>{cabeza}</tr></thead><tbody>{cuerpo}</tbody></table>"


def _imagen(titulo: str, fig, clase: str) -> str:
    memoria = io.BytesIO()
    fig.savefig(memoria, format="png", dpi=110, facecolor="white", bbox_inches="tight", pad_inches=0.1)
    datos = base64.b64encode(memoria.getvalue()).decode("ascii")
    return (
        f'<figure class="{clase}"><img src="data:image/png;base64,{datos}" alt="{escape(titulo)}">'
        f"<figcaption>{escape(titulo)}</figcaption></figure>"
    )


def _html(c: _Contenido) -> str:
    p = c.proyecto
    tarjetas, mapas = _figuras(p)
    partes = [
        '<section class="portada" id="portada">',
        '<p class="sub">Plan de customer journey</p>',
        f"<h1>{escape(p.nombre)}</h1>",
        f"<p><b>Sector:</b> {escape(p.sector or '—')}<br><b>Mercado:</b> {escape(c.mercado)}</p>",
        f"<p>{escape(p.descripcion)}</p>" if p.descripcion else "",
        f"<p>{escape(' · '.join(c.resumen()))}</p>",
        f'<p class="sub">Generado el {escape(c.fecha)} con el Curso de Customer Journey.</p></section>',
        '<h2 id="segmentos">Segmentos de clientes</h2>',
        _tabla_html(_ENCABEZADO_SEGMENTOS, c.segmentos)
        if c.segmentos
        else "<p>Todavía no hay segmentos.</p>",
        '<h2 id="personas">Buyer personas</h2>',
        *(_imagen(t, f, "tarjeta") for t, f in tarjetas),
        "" if tarjetas else "<p>Todavía no hay personas.</p>",
        '<h2 id="mapas">Mapas de viaje</h2>',
        *(_imagen(t, f, "mapa") for t, f in mapas),
        "" if mapas else "<p>Todavía no hay mapas de viaje.</p>",
        '<h2 id="correo">Correo de bienvenida</h2>',
    ]
    if p.correo is None:
        partes.append("<p>Todavía no hay correo de bienvenida.</p>")
    else:
        partes.append(f"<p>{escape(c.envio)} Así lo reciben dos clientes de muestra:</p>")
        for correo in c.correos:
            if correo.error:
                partes.append(
                    f'<div class="correo"><b>Para {escape(correo.cliente)}:</b> '
                    f'<span class="error">{escape(correo.error)}</span></div>'
                )
            else:
                partes.append(
                    f'<div class="correo"><div>Para: {escape(correo.cliente)}</div>'
                    f'<div class="asunto">Asunto: {escape(correo.asunto or "")}</div>'
                    f"\n{escape(correo.cuerpo or '')}</div>"
                )
    partes += [
        '<h2 id="metricas">Plan de métricas</h2>',
        _tabla_html(_ENCABEZADO_METRICAS, c.metricas) if c.metricas else "<p>Todavía no hay métricas.</p>",
        "<h3>Qué mide cada etapa</h3>",
        _tabla_html(["Etapa", "Métricas"], [list(x) for x in c.por_etapa]),
        '<h2 id="pendientes">Pendientes</h2>',
    ]
    if not c.pendientes:
        partes.append("<p>✔ No hay pendientes: todas las piezas están y encajan entre sí.</p>")
    for obligatoria, mensaje, pista in c.pendientes:
        icono = "✘" if obligatoria else "💡"
        partes.append(
            f'<div class="pendiente">{icono} {escape(mensaje)}<div class="pista">{escape(pista)}</div></div>'
        )
    cuerpo = "\n".join(x for x in partes if x)
    return (
        f'<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(p.nombre)} · Plan de customer journey</title><style>{_CSS}</style></head>"
        f"<body>\n{cuerpo}\n</body></html>\n"
    )


# --- PDF -----------------------------------------------------------------------------------

_A4 = (8.27, 11.69)
_MARGEN = 0.8


class _PaginasPDF:
    """Text pages laid out top-down on A4 with matplotlib; a block that does not fit opens a new page."""

    def __init__(self, pdf, pie: str):
        self.pdf = pdf
        self.pie = pie
        self.fig: Figure | None = None
        self.y = 0.0
        self.numero = 0

    def _abrir(self) -> None:
        from matplotlib.figure import Figure

        self.fig = Figure(figsize=_A4)
        self.y = _MARGEN

    def cerrar_pagina(self) -> None:
        if self.fig is not None:
            self.numero += 1
            self.fig.text(
                0.5,
                0.4 / _A4[1],
                f"{self.pie} · página {self.numero}",
                ha="center",
                va="center",
                fontsize=8,
                color="#6C757D",
            )
            self.pdf.savefig(self.fig)
            self.fig = None

    def figura(self, fig, titulo: str) -> None:
        """A figure on a page of its own size (a journey map is wider than A4)."""
        self.cerrar_pagina()
        fig.suptitle("")  # the figures carry their own titles
        self.numero += 1
        texto = fig.text(
            0.01,
            0.003,
            f"{self.pie} · página {self.numero} · {titulo}",
            fontsize=7,
            color="#6C757D",
            va="bottom",
        )
        self.pdf.savefig(fig)
        texto.remove()  # the figure stays as it was for the caller

    def _lineas(self, texto: str, tamano: float, ancho: float) -> list[str]:
        caracteres = max(10, int(ancho * 72 / (tamano * 0.53)))  # DejaVu Sans: ~0.53 em per character
        lineas: list[str] = []
        for parrafo in texto.split("\n"):
            lineas += textwrap.wrap(parrafo, caracteres) or [""]
        return lineas

    def _sitio(self, alto: float) -> None:
        if self.fig is None or self.y + alto > _A4[1] - _MARGEN:
            self.cerrar_pagina()
            self._abrir()

    def _escribir(self, x: float, lineas: list[str], tamano: float, **estilo) -> float:
        assert self.fig is not None
        alto = tamano * 1.4 / 72
        for linea in lineas:
            self.fig.text(
                x / _A4[0],
                1 - (self.y + alto * 0.8) / _A4[1],
                linea,
                fontsize=tamano,
                va="baseline",
                **estilo,
            )
            self.y += alto
        return alto * len(lineas)

    def texto(
        self, texto: str, tamano: float = 10, sangria: float = 0.0, antes: float = 0.0, **estilo
    ) -> None:
        ancho = _A4[0] - 2 * _MARGEN - sangria
        lineas = self._lineas(texto, tamano, ancho)
        self._sitio(antes + min(len(lineas), 3) * tamano * 1.4 / 72)
        self.y += antes
        for linea in lineas:  # a long paragraph may continue on the next page
            self._sitio(tamano * 1.4 / 72)
            self._escribir(_MARGEN + sangria, [linea], tamano, **estilo)

    def titulo(self, texto: str, nueva_pagina: bool = False) -> None:
        if nueva_pagina:
            self.cerrar_pagina()
        self.texto(
            texto,
            16,
            antes=0.25 if self.fig is not None and self.y > _MARGEN else 0,
            weight="bold",
            color="#3B5BDB",
        )
        self.y += 0.08

    def tabla(self, encabezado: list[str], filas: list[list[str]], anchos: list[float]) -> None:
        total = _A4[0] - 2 * _MARGEN
        columnas = [a / sum(anchos) * total for a in anchos]
        tamano = 8.5
        preparadas = []
        for fila in [encabezado, *filas]:
            celdas = [self._lineas(x, tamano, w - 0.08) for x, w in zip(fila, columnas, strict=True)]
            preparadas.append((celdas, max(len(x) for x in celdas) * tamano * 1.4 / 72 + 0.08))
        total_alto = sum(alto for _, alto in preparadas)
        if total_alto <= _A4[1] - 2 * _MARGEN:  # a table that fits on one page is not split
            self._sitio(total_alto)
        for n, (celdas, alto) in enumerate(preparadas):
            self._sitio(alto)
            assert self.fig is not None
            y0 = self.y
            self.fig.add_artist(_linea(self.fig, y0))
            x = _MARGEN
            for lineas, w in zip(celdas, columnas, strict=True):
                self.y = y0 + 0.04
                self._escribir(x + 0.04, lineas, tamano, weight="bold" if n == 0 else "normal")
                x += w
            self.y = y0 + alto
        if self.fig is not None:
            self.fig.add_artist(_linea(self.fig, self.y))
        self.y += 0.1


def _linea(fig, y: float):
    from matplotlib.lines import Line2D

    return Line2D(
        [_MARGEN / _A4[0], 1 - _MARGEN / _A4[0]],
        [1 - y / _A4[1]] * 2,
        transform=fig.transFigure,
        color="#DEE2E6",
        linewidth=0.8,
    )


def _pdf(c: _Contenido, ruta: Path) -> None:
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    p = c.proyecto
    tarjetas, mapas = _figuras(p)
    metadatos = {
        "Title": f"{p.nombre} · Plan de customer journey",
        "Creator": "cj_course",
        "Subject": "Plan de customer journey",
    }
    # TrueType fonts (42): the text of every page is real text (searchable, copyable, read by pdftotext).
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(ruta, metadata=metadatos) as pdf:
        hojas = _PaginasPDF(pdf, f"{p.nombre} · Plan de customer journey")
        hojas.texto("Plan de customer journey", 14, antes=2.2, color="#6C757D")
        hojas.texto(p.nombre, 28, antes=0.1, weight="bold")
        hojas.texto(f"Sector: {p.sector or '—'}", 12, antes=0.3)
        hojas.texto(f"Mercado: {c.mercado}", 12)
        if p.descripcion:
            hojas.texto(p.descripcion, 11, antes=0.3)
        hojas.texto(" · ".join(c.resumen()), 11, antes=0.3)
        hojas.texto(
            f"Generado el {c.fecha} con el Curso de Customer Journey.", 10, antes=0.5, color="#6C757D"
        )
        hojas.titulo("Segmentos de clientes", nueva_pagina=True)
        if c.segmentos:
            hojas.tabla(_ENCABEZADO_SEGMENTOS, c.segmentos, [1.2, 1.5, 1.5, 1.5, 0.9])
        else:
            hojas.texto("Todavía no hay segmentos.")
        for titulo, fig in tarjetas:
            hojas.figura(fig, titulo)
        for titulo, fig in mapas:
            hojas.figura(fig, titulo)
        hojas.titulo("Correo de bienvenida", nueva_pagina=True)
        if p.correo is None:
            hojas.texto("Todavía no hay correo de bienvenida.")
        else:
            hojas.texto(f"{c.envio} Así lo reciben dos clientes de muestra:")
            for correo in c.correos:
                hojas.texto(f"Para: {correo.cliente}", 10, antes=0.2, weight="bold")
                if correo.error:
                    hojas.texto(correo.error, 10, sangria=0.2, color="#b03a2e")
                    continue
                hojas.texto(f"Asunto: {correo.asunto}", 10, sangria=0.2, weight="bold")
                hojas.texto(correo.cuerpo or "", 10, sangria=0.2)
        hojas.titulo("Plan de métricas")
        if c.metricas:
            hojas.tabla(_ENCABEZADO_METRICAS, c.metricas, [1.3, 2.2, 1.2, 1.5])
        else:
            hojas.texto("Todavía no hay métricas.")
        hojas.texto("Qué mide cada etapa", 11, antes=0.15, weight="bold")
        hojas.tabla(["Etapa", "Métricas"], [list(x) for x in c.por_etapa], [1, 3])
        hojas.titulo("Pendientes")
        if not c.pendientes:
            hojas.texto("No hay pendientes: todas las piezas están y encajan entre sí.")
        for obligatoria, mensaje, pista in c.pendientes:
            hojas.texto(("Falta: " if obligatoria else "Sugerencia: ") + mensaje, 10, antes=0.08)
            hojas.texto(f"Cómo arreglarlo: {pista}", 9, sangria=0.25, color="#555555")
        hojas.cerrar_pagina()


# --- the entry points ----------------------------------------------------------------------


def exportar_plan(proyecto: MiNegocio, ruta: str | os.PathLike[str], *, fecha: dt.date | None = None) -> Path:
    """Escribe el plan de ``proyecto`` en ``ruta``: ``.pdf`` o ``.html`` según la extensión.

    El plan se escribe aunque falten piezas: lo que falta aparece en «Pendientes». El archivo se
    escribe de una vez (un corte a mitad deja el anterior intacto) y ``respuestas/mi_plan.json``, a su
    lado, anota de qué proyecto salió (:func:`cj_course.proyecto.plan_exportado`). Devuelve la ruta escrita.
    """
    proyecto = como_objeto(
        proyecto,
        "proyecto",
        MiNegocio,
        'Crea tu proyecto con MiNegocio("Mi tienda", ...) o usa proyecto_ejemplo("zapatos").',
    )
    ruta = _ruta(ruta, (".pdf", ".html", ".htm"), '"mi_plan.pdf" o "mi_plan.html"')
    contenido = _contenido(proyecto, fecha)
    if ruta.suffix.lower() == ".pdf":
        ruta.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=f".{ruta.name}.", suffix=".tmp")
        os.close(descriptor)
        try:
            _pdf(contenido, Path(temporal))
            os.chmod(temporal, 0o644)  # a document to share, not a private answer file
            os.replace(temporal, ruta)
        except BaseException:
            Path(temporal).unlink(missing_ok=True)
            raise
    else:
        escribir_atomico(ruta, _html(contenido))
        os.chmod(ruta, 0o644)
    # Which project this plan shows (respuestas/mi_plan.json): the final exercise grades it.
    registrar_plan(proyecto, ruta)
    return ruta


def _ruta(ruta: object, sufijos: tuple[str, ...], ejemplo: str) -> Path:
    if not isinstance(ruta, str | os.PathLike) or not str(ruta).strip():
        raise ErrorCurso(
            "La ruta debe ser el nombre del archivo.", campo="ruta", pista=f"Por ejemplo {ejemplo}."
        )
    ruta = Path(ruta)
    if ruta.suffix.lower() not in sufijos:
        raise ErrorCurso(
            f"No sé exportar a '{ruta.suffix or '(sin extensión)'}'.",
            campo="ruta",
            pista=f"Termina el nombre en {', '.join(sufijos)}: por ejemplo {ejemplo}.",
        )
    if ruta.is_dir():
        raise ErrorCurso(
            f"{ruta} es una carpeta.", campo="ruta", pista=f"Da el nombre de un archivo, como {ejemplo}."
        )
    return ruta


def exportar_mapa(mapa: MapaDeViaje, ruta: str | os.PathLike[str]) -> Path:
    """Guarda un mapa de viaje: ``.csv`` o ``.json`` (para una hoja de cálculo u otra herramienta) o su
    figura en ``.png``, ``.svg`` o ``.pdf``.

    >>> import tempfile, pathlib
    >>> from cj_course import mapa_ejemplo
    >>> from cj_course.proyecto import mapa_desde_csv
    >>> ruta = exportar_mapa(mapa_ejemplo(), pathlib.Path(tempfile.mkdtemp()) / "mapa.csv")
    >>> len(mapa_desde_csv(ruta).interacciones)
    6
    """
    mapa = como_objeto(mapa, "mapa", MapaDeViaje)
    ruta = _ruta(ruta, (".csv", ".json", ".png", ".svg", ".pdf"), '"mi_mapa.csv" o "mi_mapa.png"')
    sufijo = ruta.suffix.lower()
    if sufijo in (".csv", ".json"):
        # utf-8 with BOM for the CSV: Excel then shows the accents right.
        escribir_atomico(ruta, ("\ufeff" + mapa_a_csv(mapa)) if sufijo == ".csv" else mapa_a_json(mapa))
        return ruta
    from .graficos import dibujar_mapa, exportar_figura

    return exportar_figura(dibujar_mapa(mapa), ruta)

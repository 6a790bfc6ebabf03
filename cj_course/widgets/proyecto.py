"""«Estado de tu proyecto»: una vista de solo lectura de «Mi negocio» que cualquier módulo puede mostrar.

Muestra qué piezas tiene el proyecto, cómo se enlazan (segmento → personas → mapa; etapa → métricas)
y las comprobaciones del proyecto con sus pistas. Nunca escribe nada: el proyecto lo guardan los
ejercicios (o :func:`cj_course.proyecto.guardar_proyecto`).

    from cj_course.widgets.proyecto import estado_proyecto
    estado_proyecto()            # el proyecto guardado en respuestas/mi_negocio.json
    estado_proyecto(proyecto)    # o uno que tienes en una variable
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..persistencia import Carpeta
from ..proyecto import MERCADOS, MiNegocio, cargar_proyecto, comprobar_proyecto

__all__ = ["VistaProyecto", "estado_proyecto"]


def _resumen(p: MiNegocio) -> str:
    def cuantos(n: int, palabra: str) -> str:
        return f"{n} {palabra}{'' if n == 1 else 's'}"

    piezas = [
        cuantos(len(p.segmentos), "segmento"),
        cuantos(len(p.personas), "persona"),
        cuantos(len(p.mapas), "mapa"),
        "correo de bienvenida" if p.correo else "sin correo",
        cuantos(len(p.metricas.metricas), "métrica"),
    ]
    return " · ".join(piezas)


def _enlaces(p: MiNegocio) -> str:
    filas = []
    for s in p.segmentos:
        personas = [x for x in p.personas if x.segmento and x.segmento.casefold() == s.nombre.casefold()]
        detalle = ", ".join(
            escape(x.nombre) + (" (con mapa)" if p.mapa_de(x.nombre) else " (sin mapa)") for x in personas
        )
        filas.append(f"<li><b>{escape(s.nombre)}</b> → {detalle or 'sin personas'}</li>")
    etapas = []
    for clave in p.etapas() if p.mapas else []:
        medidas = ", ".join(escape(m.metrica) for m in p.metricas_de_etapa(clave)) or "<i>sin métrica</i>"
        etapas.append(f"<li>{escape(p.nombre_etapa(clave))}: {medidas}</li>")
    bloques = []
    if filas:
        bloques.append(f"<div><b>Segmentos y personas</b><ul>{''.join(filas)}</ul></div>")
    if etapas:
        bloques.append(f"<div><b>Etapas y métricas</b><ul>{''.join(etapas)}</ul></div>")
    return f'<div style="display:flex;gap:2em;flex-wrap:wrap">{"".join(bloques)}</div>' if bloques else ""


def _html(p: MiNegocio | None, aviso: str | None = None) -> str:
    partes = ['<div class="cj-proyecto" role="region" aria-label="Estado de tu proyecto">']
    if aviso:
        partes.append(ErrorCurso(aviso)._repr_html_())
    if p is None:
        partes.append(
            "<p><b>Estado de tu proyecto</b>: Todavía no tienes un proyecto guardado. Empieza por tus "
            'segmentos (módulo 3) o crea uno con <code>MiNegocio("Mi tienda", ...)</code>.</p></div>'
        )
        return "".join(partes)
    sector = f" · {escape(p.sector)}" if p.sector else ""
    partes.append(
        f"<p><b>{escape(p.nombre)}</b>{sector} · {escape(p.mercado)} ({escape(MERCADOS[p.mercado])})"
        f"<br>{escape(_resumen(p))}</p>"
    )
    partes.append(_enlaces(p))
    partes.append(comprobar_proyecto(p)._repr_html_())
    partes.append("</div>")
    return "".join(partes)


class VistaProyecto(widgets.HTML):
    """La vista «estado de tu proyecto»: HTML de solo lectura; :meth:`actualizar` la rehace."""

    def __init__(self, proyecto: MiNegocio | None = None, carpeta: Carpeta = None, **kwargs):
        super().__init__(**kwargs)
        self._carpeta = carpeta
        self.actualizar(proyecto)

    def actualizar(self, proyecto: MiNegocio | None = None) -> None:
        """Vuelve a leer el proyecto (el guardado, si no se pasa uno) y rehace la vista."""
        aviso = None
        if proyecto is None:
            proyecto, aviso = cargar_proyecto(self._carpeta)
        elif not isinstance(proyecto, MiNegocio):
            raise ErrorCurso(
                f"La vista muestra un MiNegocio, no {type(proyecto).__name__}.",
                campo="proyecto",
                pista='Pasa tu proyecto, por ejemplo proyecto_ejemplo("zapatos").',
            )
        self.value = _html(proyecto, aviso)


def estado_proyecto(proyecto: MiNegocio | None = None, carpeta: Carpeta = None) -> VistaProyecto:
    """La vista del estado de ``proyecto`` (por omisión, el guardado en ``respuestas/mi_negocio.json``)."""
    return VistaProyecto(proyecto, carpeta)

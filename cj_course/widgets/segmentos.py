"""Formulario de los tres segmentos de clientes, con sus rasgos clave.

>>> import tempfile
>>> formulario = FormularioSegmentos("m3_segmentos", carpeta=tempfile.mkdtemp())
>>> formulario.segmentos[0]["nombre"].value = "Jóvenes tecnológicos"
>>> formulario.segmentos[0]["demograficos"].value = "18-25 años, estudiantes"
>>> [s.nombre for s in formulario.respuesta.segmentos]
['Jóvenes tecnológicos']
"""

from __future__ import annotations

import os

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..modelo import Segmentacion, Segmento
from ..validacion import SEGMENTOS_REQUERIDOS
from ._base import Formulario, campo_area, campo_texto, cargar, elementos, encabezado, texto_de, unir, vacio

_CAMPOS = ("nombre", "demograficos", "psicograficos", "conductuales", "descripcion")


class FormularioSegmentos(Formulario):
    """Tres segmentos (o ``n``), cada uno con nombre y rasgos demográficos, psicográficos y conductuales.

    ``formulario.respuesta`` es la :class:`~cj_course.Segmentacion` con los segmentos que tienen nombre.
    """

    tipo = Segmentacion
    titulo = "Tus segmentos de clientes"
    instrucciones = ("Identifica <b>tres segmentos</b> de clientes y describe sus rasgos clave: demográficos "
                     "(edad, lugar, ingresos), psicográficos (intereses, valores, estilo de vida) y conductuales "
                     "(cómo y cuándo compran). Separa los rasgos con comas o escribe uno por línea.")

    def __init__(self, ejercicio: str, *, n: int = SEGMENTOS_REQUERIDOS, carpeta: str | os.PathLike | None = None,
                 **kwargs):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
            raise ErrorCurso("El número de segmentos debe ser un entero entre 1 y 10.", campo="n",
                             pista="Por ejemplo n=3.")
        self._n = n
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    def _crear_hueco(self, i: int) -> dict[str, widgets.Widget]:
        hueco = {
            "nombre": campo_texto(f"Nombre del segmento {i}", f"Un nombre corto para el segmento {i}",
                                  "por ejemplo: Jóvenes tecnológicos"),
            "demograficos": campo_area("Demográficos", f"Rasgos demográficos del segmento {i}",
                                       "18-25 años, viven en ciudades, estudiantes"),
            "psicograficos": campo_area("Psicográficos", f"Intereses, valores y estilo de vida del segmento {i}",
                                        "les gusta la tecnología y la moda"),
            "conductuales": campo_area("Conductuales", f"Cómo compra el segmento {i}",
                                       "compran desde el celular, comparan precios"),
            "descripcion": campo_texto("Descripción (opcional)", f"Una frase que resuma el segmento {i}"),
        }
        self._vigilar(*hueco.values())
        return hueco

    def _crear_controles(self):
        self.segmentos: list[dict[str, widgets.Widget]] = []
        self._caja = widgets.VBox()
        self._asegurar_huecos(self._n)
        return [self._caja]

    def _asegurar_huecos(self, n: int) -> None:
        while len(self.segmentos) < n:
            self.segmentos.append(self._crear_hueco(len(self.segmentos) + 1))
        self._caja.children = [
            widgets.VBox([encabezado(f"Segmento {i}"), *hueco.values()],
                         layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px", margin="4px 0"))
            for i, hueco in enumerate(self.segmentos, start=1)
        ]

    def _leer_estado(self) -> dict:
        return {"segmentos": [{campo: hueco[campo].value for campo in _CAMPOS} for hueco in self.segmentos]}

    def _poner_estado(self, estado: dict) -> None:
        guardados = estado.get("segmentos") if isinstance(estado, dict) else None
        guardados = [g for g in guardados if isinstance(g, dict)] if isinstance(guardados, list) else []
        self._asegurar_huecos(max(self._n, len(guardados)))
        for i, hueco in enumerate(self.segmentos):
            datos = guardados[i] if i < len(guardados) else {}
            for campo in _CAMPOS:
                hueco[campo].value = texto_de(datos, campo)

    @classmethod
    def construir(cls, estado: dict):
        huecos = estado.get("segmentos", []) if isinstance(estado, dict) else []
        segmentos, notas, algo = [], [], False
        for i, datos in enumerate(huecos if isinstance(huecos, list) else [], start=1):
            textos = {campo: texto_de(datos, campo) for campo in _CAMPOS}
            if vacio(*textos.values()):
                continue
            algo = True
            if vacio(textos["nombre"]):
                notas.append(f"El segmento {i} no cuenta todavía: falta su nombre.")
                continue
            segmentos.append(Segmento(
                textos["nombre"], demograficos=elementos(textos["demograficos"]),
                psicograficos=elementos(textos["psicograficos"]), conductuales=elementos(textos["conductuales"]),
                descripcion=textos["descripcion"] or None))
        return (Segmentacion(segmentos) if algo else None), notas

    @classmethod
    def estado_de(cls, segmentacion: Segmentacion) -> dict:
        return {"segmentos": [
            {"nombre": s.nombre, "demograficos": unir(s.demograficos, ", "),
             "psicograficos": unir(s.psicograficos, ", "), "conductuales": unir(s.conductuales, ", "),
             "descripcion": s.descripcion or ""}
            for s in segmentacion.segmentos]}


def cargar_segmentos(ejercicio: str, carpeta: str | os.PathLike | None = None) -> Segmentacion | None:
    """La segmentación guardada por :class:`FormularioSegmentos`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, Segmentacion, carpeta)

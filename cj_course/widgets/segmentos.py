"""Formulario de los tres segmentos de clientes, con sus rasgos clave.

>>> import tempfile
>>> formulario = FormularioSegmentos("m3_segmentos", carpeta=tempfile.mkdtemp())
>>> formulario.segmentos[0]["nombre"].value = "Jóvenes tecnológicos"
>>> formulario.segmentos[0]["demograficos"].value = "18-25 años, estudiantes"
>>> [s.nombre for s in formulario.respuesta.segmentos]
['Jóvenes tecnológicos']
"""

from __future__ import annotations

import ipywidgets as widgets

from ..modelo import Segmentacion, Segmento
from ..persistencia import Carpeta
from ..validacion import SEGMENTOS_REQUERIDOS
from ._base import campo_area, campo_texto, cargar, elementos, unir
from ._filas import FormularioDeFilas


class FormularioSegmentos(FormularioDeFilas[Segmentacion, Segmento]):
    """Tres segmentos (o ``n``), cada uno con nombre y rasgos demográficos, psicográficos y conductuales.

    ``formulario.respuesta`` es la :class:`~cj_course.Segmentacion` con los segmentos que tienen nombre.
    Al guardarse, reemplaza los segmentos de tu proyecto; en código es lo mismo:

    >>> import tempfile
    >>> from cj_course.proyecto import cargar_proyecto, llevar_al_proyecto
    >>> carpeta = tempfile.mkdtemp()
    >>> _ = llevar_al_proyecto(Segmentacion([Segmento("Oficinistas")]), carpeta)
    >>> cargar_proyecto(carpeta)[0].nombres_segmentos()
    ['Oficinistas']
    """

    tipo = Segmentacion
    del_proyecto = True  # your segments replace the project's: the persona form then offers them
    titulo = "Tus segmentos de clientes"
    instrucciones = (
        "Identifica <b>tres segmentos</b> de clientes y describe sus rasgos clave: demográficos "
        "(edad, lugar, ingresos), psicográficos (intereses, valores, estilo de vida) y conductuales "
        "(cómo y cuándo compran). Separa los rasgos con comas o escribe uno por línea."
    )
    clave = "segmentos"
    nombre_fila = "Segmento"
    plural = "segmentos"
    campos_fila = ("nombre", "demograficos", "psicograficos", "conductuales", "descripcion")
    filas_por_omision = SEGMENTOS_REQUERIDOS
    obligatorio = "nombre"
    sin_obligatorio = "El segmento {i} no cuenta todavía: falta su nombre."

    def _que_ofrece(self, proyecto) -> str:
        return "Tus segmentos serán las opciones del formulario de la persona."

    @property
    def segmentos(self) -> list[dict[str, widgets.Widget]]:
        """Los controles de cada segmento: ``formulario.segmentos[0]["nombre"]``."""
        return self.filas

    def _crear_fila(self, i: int) -> dict[str, widgets.Widget]:
        return {
            "nombre": campo_texto(
                f"Nombre del segmento {i}",
                f"Un nombre corto para el segmento {i}",
                "por ejemplo: Jóvenes tecnológicos",
            ),
            "demograficos": campo_area(
                "Demográficos",
                f"Rasgos demográficos del segmento {i}",
                "18-25 años, viven en ciudades, estudiantes",
            ),
            "psicograficos": campo_area(
                "Psicográficos",
                f"Intereses, valores y estilo de vida del segmento {i}",
                "les gusta la tecnología y la moda",
            ),
            "conductuales": campo_area(
                "Conductuales", f"Cómo compra el segmento {i}", "compran desde el celular, comparan precios"
            ),
            "descripcion": campo_texto("Descripción (opcional)", f"Una frase que resuma el segmento {i}"),
        }

    @classmethod
    def _elemento(cls, textos: dict[str, str]) -> Segmento:
        return Segmento(
            textos["nombre"],
            demograficos=elementos(textos["demograficos"]),
            psicograficos=elementos(textos["psicograficos"]),
            conductuales=elementos(textos["conductuales"]),
            descripcion=textos["descripcion"] or None,
        )

    @classmethod
    def _textos(cls, elemento: Segmento) -> dict[str, str]:
        return {
            "nombre": elemento.nombre,
            "demograficos": unir(elemento.demograficos, ", "),
            "psicograficos": unir(elemento.psicograficos, ", "),
            "conductuales": unir(elemento.conductuales, ", "),
            "descripcion": elemento.descripcion or "",
        }


def cargar_segmentos(ejercicio: str, carpeta: Carpeta = None) -> Segmentacion | None:
    """La segmentación guardada por :class:`FormularioSegmentos`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, Segmentacion, carpeta)

"""Formularios (ipywidgets) de los ejercicios: se guardan solos, se comprueban en vivo y se califican.

Patrón de un ejercicio (tres celdas)::

    formulario = FormularioPersona("m3_persona")   # muestra el formulario y recupera lo guardado
    formulario

    persona = formulario.respuesta                  # la respuesta (puedes escribirla en código)

    afirmar_valido(persona)                          # la comprobación

La respuesta se guarda en ``respuestas/<ejercicio>.json`` junto al cuaderno (lo que aún no cuenta,
en ``respuestas/<ejercicio>.borrador.json``); las funciones ``cargar_*`` la leen sin widgets.
Crear o mostrar un formulario no escribe nada: solo los cambios del estudiante se guardan.
"""

from ._base import Formulario, cargar
from ._filas import FormularioDeFilas
from .conceptos import (
    FormularioClasificacion,
    FormularioCuestionario,
    Pregunta,
    cargar_clasificacion,
    cargar_cuestionario,
)
from .correo import FormularioCorreo, cargar_correo
from .mapa import FormularioMapa, cargar_mapa
from .metricas import FormularioMetricas, cargar_metricas
from .persona import FormularioPersona, cargar_persona
from .segmentos import FormularioSegmentos, cargar_segmentos

__all__ = [
    "Formulario",
    "FormularioClasificacion",
    "FormularioCorreo",
    "FormularioCuestionario",
    "FormularioDeFilas",
    "FormularioMapa",
    "FormularioMetricas",
    "FormularioPersona",
    "FormularioSegmentos",
    "Pregunta",
    "cargar",
    "cargar_clasificacion",
    "cargar_correo",
    "cargar_cuestionario",
    "cargar_mapa",
    "cargar_metricas",
    "cargar_persona",
    "cargar_segmentos",
]

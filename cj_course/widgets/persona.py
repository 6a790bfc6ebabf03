"""Formulario del buyer persona: el retrato de tu cliente ideal, con al menos cinco características.

>>> import tempfile
>>> formulario = FormularioPersona("m3_persona", carpeta=tempfile.mkdtemp())
>>> formulario.controles["nombre"].value = "María"
>>> formulario.controles["edad"].value = "28"
>>> formulario.respuesta.edad
28
>>> cargar_persona("m3_persona", carpeta=formulario.carpeta).nombre
'María'
"""

from __future__ import annotations

import html
import re
from typing import Any

import ipywidgets as widgets

from .._errores import ErrorCurso
from .._texto import sin_tildes
from ..modelo import EDAD_MAXIMA, Persona
from ..persistencia import Carpeta
from ..validacion import Comprobacion, Informe
from ._base import (
    Formulario,
    ayuda_html,
    campo_area,
    campo_texto,
    cargar,
    elementos,
    lineas,
    texto_de,
    unir,
    vacio,
)

_CAMPOS = (
    "nombre",
    "edad",
    "ocupacion",
    "ubicacion",
    "intereses",
    "objetivos",
    "desafios",
    "canales",
    "segmento",
    "cita",
)
_EN_LINEAS = ("objetivos", "desafios")  # sentences: one per line, they may contain commas
_EN_ELEMENTOS = ("intereses", "canales")  # short items: commas also separate
_EDAD = re.compile(r"^\s*(\d{1,3})\s*(años?)?\s*$", re.IGNORECASE)


def _edad(texto: str) -> int | None:
    if not texto.strip():
        return None
    encontrada = _EDAD.match(texto)
    if not encontrada or int(encontrada.group(1)) > EDAD_MAXIMA:
        raise ErrorCurso(
            f"La edad «{texto.strip()}» no es un número de años válido.",
            campo="edad",
            pista=f"Escribe solo el número, entre 0 y {EDAD_MAXIMA}; por ejemplo 28.",
        )
    return int(encontrada.group(1))


class FormularioPersona(Formulario[Persona]):
    """Crea tu buyer persona rellenando el formulario; se guarda solo y se comprueba en vivo.

    ``formulario.respuesta`` es la :class:`~cj_course.Persona` que muestra el formulario. En «Segmento»
    ofrece tus segmentos (los de tu proyecto) y, al guardarse, la persona se suma a tu proyecto; en código:
    ``llevar_al_proyecto(Persona("María", segmento="Oficinistas"))`` (ver :mod:`cj_course.proyecto`).
    """

    tipo = Persona
    del_proyecto = True  # offers your segments; the persona joins the project (the map form offers her)
    campos = _CAMPOS
    titulo = "Tu buyer persona"
    instrucciones = (
        "Describe a tu cliente ideal para uno de tus segmentos. Se piden <b>al menos cinco "
        "características</b> (edad, ocupación, ubicación, intereses, objetivos, desafíos, canales, "
        "segmento). En las listas, escribe un elemento por línea."
    )

    def __init__(
        self, ejercicio: str, *, segmentos: Any = None, carpeta: Carpeta = None, **kwargs: Any
    ) -> None:
        # The student's segments (a FormularioSegmentos, a Segmentacion or a list of names): with them the
        # form checks what the check cell checks, that the persona belongs to one of them; without them
        # it could say "¡Todo en orden!" while the cell below fails.
        self._segmentos = segmentos
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    def nombres_de_segmentos(self) -> list[str] | None:
        """Los nombres de los segmentos del estudiante, o ``None`` si el formulario no los conoce.

        Los de ``segmentos`` si se pasaron; si no, los de tu proyecto (si ya tiene).
        """
        fuente = self._segmentos
        if fuente is None:
            return (self.proyecto.nombres_segmentos() or None) if self.proyecto is not None else None
        fuente = getattr(fuente, "respuesta", fuente)  # a form: its current answer
        if fuente is None:
            return []
        segmentos = getattr(fuente, "segmentos", fuente)
        return [getattr(s, "nombre", s) for s in segmentos if isinstance(getattr(s, "nombre", s), str)]

    def _ofrecer_del_proyecto(self, proyecto) -> None:
        self.controles["segmento"].options = self.nombres_de_segmentos() or []

    def _que_ofrece(self, proyecto) -> str:
        tuyos = self.nombres_de_segmentos()
        if not tuyos:
            return "Aún no tiene segmentos: guárdalos primero y aquí podrás elegir uno."
        return f"En «Segmento» elige uno de tus {len(tuyos)} segmentos."

    def _informe_de(self, respuesta: Persona | None) -> Informe:
        informe = super()._informe_de(respuesta)
        tuyos = self.nombres_de_segmentos()
        if respuesta is None or tuyos is None:
            return informe

        def simple(texto: object) -> str:
            return " ".join(sin_tildes(texto).split())

        if not respuesta.segmento:
            informe.comprobaciones.append(
                Comprobacion(
                    False,
                    "Falta a cuál de tus segmentos pertenece.",
                    "Escribe en «Segmento» el nombre de uno de tus segmentos del ejercicio 1.",
                )
            )
        elif not tuyos:
            informe.comprobaciones.append(
                Comprobacion(
                    False,
                    f"Tu persona es del segmento «{respuesta.segmento}», pero aún no tienes segmentos.",
                    "Completa primero tus segmentos (ejercicio 1).",
                )
            )
        elif simple(respuesta.segmento) not in {simple(n) for n in tuyos}:
            informe.comprobaciones.append(
                Comprobacion(
                    False,
                    f"Tu persona dice ser del segmento «{respuesta.segmento}», que no está entre tus "
                    f"segmentos: {', '.join(tuyos)}.",
                    "Escribe el nombre tal como lo pusiste en el ejercicio 1.",
                )
            )
        else:
            informe.comprobaciones.append(
                Comprobacion(True, f"Pertenece a tu segmento «{respuesta.segmento}».")
            )
        return informe

    def _crear_controles(self) -> list[widgets.Widget]:
        c = self.controles = {
            "nombre": campo_texto("Nombre", "El nombre de tu persona (obligatorio)", "por ejemplo: María"),
            "edad": campo_texto("Edad (años)", "Su edad en años, solo el número", "por ejemplo: 28"),
            "ocupacion": campo_texto("Ocupación", "A qué se dedica", "por ejemplo: Ingeniera de software"),
            "ubicacion": campo_texto("Ubicación", "Dónde vive", "por ejemplo: Guadalajara"),
            "intereses": campo_area(
                "Intereses",
                "Sus intereses, uno por línea o separados por comas",
                "tecnología, viajes, fitness",
            ),
            "objetivos": campo_area(
                "Objetivos",
                "Qué quiere lograr, uno por línea",
                "verse bien en la oficina sin perder comodidad",
            ),
            "desafios": campo_area(
                "Desafíos",
                "Qué le frustra o le impide comprar, uno por línea",
                "poco tiempo libre por su horario de trabajo",
            ),
            "canales": campo_area(
                "Canales",
                "Por dónde se informa y compra, uno por línea o separados por comas",
                "Instagram, correo electrónico",
            ),
            "segmento": campo_texto(
                "Segmento",
                "A cuál de tus segmentos pertenece: escribe o elige uno de los tuyos",
                "por ejemplo: Profesionistas urbanas",
                opciones=[],  # your segments, from the project or the segments form
            ),
            "cita": campo_texto(
                "Una frase suya",
                "Algo que diría esta persona (no cuenta como característica)",
                "«Si no lo puedo comprar desde el celular, no lo compro.»",
            ),
        }
        self._ofrecer_del_proyecto(self.proyecto)
        self._vigilar(*c.values())
        return list(c.values())

    def _vista_previa(self) -> list[widgets.Widget]:
        self._tarjeta = ayuda_html("")
        return [self._tarjeta]

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[Persona | None, list[str]]:
        textos = {campo: texto_de(estado, campo) for campo in _CAMPOS}
        if vacio(*textos.values()):
            return None, []
        if vacio(textos["nombre"]):
            raise ErrorCurso(
                "Tu persona necesita un nombre.",
                campo="nombre",
                pista="Escríbelo en «Nombre»; mientras tanto, lo demás se guarda como borrador.",
            )
        datos: dict[str, Any] = {
            campo: textos[campo] for campo in ("nombre", "ocupacion", "ubicacion", "segmento", "cita")
        }
        notas: list[str] = []
        try:
            datos["edad"] = _edad(textos["edad"])
        except ErrorCurso as e:  # a typo in one trait must not sink the whole persona
            datos["edad"] = None
            notas.append(f"{e.mensaje} {e.pista}")
        datos.update({campo: lineas(textos[campo]) for campo in _EN_LINEAS})
        datos.update({campo: elementos(textos[campo]) for campo in _EN_ELEMENTOS})
        return Persona(**datos), notas

    @classmethod
    def estado_de(cls, persona: Persona) -> dict[str, Any]:
        estado: dict[str, str] = {
            campo: getattr(persona, campo) or ""
            for campo in ("nombre", "ocupacion", "ubicacion", "segmento", "cita")
        }
        estado["edad"] = "" if persona.edad is None else str(persona.edad)
        estado.update({campo: unir(getattr(persona, campo)) for campo in _EN_LINEAS})
        estado.update({campo: unir(getattr(persona, campo), ", ") for campo in _EN_ELEMENTOS})
        return estado

    def _actualizar_vista(self, persona: Persona | None) -> None:
        if persona is None:
            self._tarjeta.value = ""
            return
        filas = "".join(
            f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(k)}</th>"
            f"<td>{html.escape(v)}</td></tr>"
            for k, v in persona.caracteristicas().items()
        )
        frase = (persona.cita or "").strip('«»"“” ')
        cita = f"<p><i>«{html.escape(frase)}»</i></p>" if frase else ""
        self._tarjeta.value = (
            "<div class='cj-persona' style='border:1px solid #ccc;border-radius:6px;padding:6px 12px;"
            f"max-width:44em'><b>{html.escape(persona.nombre)}</b>{cita}<table>{filas}</table></div>"
        )


def cargar_persona(ejercicio: str, carpeta: Carpeta = None) -> Persona | None:
    """La persona guardada por :class:`FormularioPersona`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, Persona, carpeta)

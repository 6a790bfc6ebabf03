"""Comprobaciones de conceptos: preguntas de opción múltiple y puntos de contacto por etapa.

En un ejercicio calificado el cuaderno **no** lleva las respuestas correctas: el formulario solo dice
cuántas respondiste y las pruebas ocultas comparan con :func:`cj_course.validacion.afirmar_correctas`.
En una autoevaluación (sin nota) se pasan ``correctas=`` y cada respuesta se corrige al instante.

>>> import tempfile
>>> preguntas = [Pregunta("p1", "¿En qué etapa el cliente descubre tu marca?", ["Conciencia", "Lealtad"])]
>>> formulario = FormularioCuestionario("m2_repaso", preguntas, carpeta=tempfile.mkdtemp())
>>> formulario.opciones["p1"].value = "Conciencia"
>>> formulario.respuesta.respuestas
{'p1': 'Conciencia'}
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from .._errores import ErrorCurso
from .._texto import MARCA_FALLO, MARCA_OK, citar
from ..etapas import modelo_de_etapas, normalizar_etapa
from ..modelo import Clasificacion, RespuestasCuestionario
from ..persistencia import Carpeta
from ..validacion import Informe, validar_clasificacion, validar_cuestionario
from ._base import Formulario, M, cargar


@dataclass(frozen=True)
class Pregunta:
    """Una pregunta de opción múltiple: su clave (para las pruebas), el enunciado y las opciones.

    ``explicacion`` se muestra al responder, solo en las autoevaluaciones (con ``correctas=``).
    """

    clave: str
    enunciado: str
    opciones: tuple[str, ...]
    explicacion: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.clave, str) or not self.clave.strip():
            raise ErrorCurso('Cada pregunta necesita una clave de texto, por ejemplo "p1".', campo="clave")
        if not isinstance(self.enunciado, str) or not self.enunciado.strip():
            raise ErrorCurso(f"La pregunta «{self.clave}» no tiene enunciado.", campo="enunciado")
        if isinstance(self.opciones, str) or not isinstance(self.opciones, Sequence):
            raise ErrorCurso(
                f"Las opciones de «{self.clave}» deben ser una lista de textos.", campo="opciones"
            )
        opciones = tuple(self.opciones)
        if (
            len(opciones) < 2
            or not all(isinstance(o, str) and o.strip() for o in opciones)
            or len(set(opciones)) != len(opciones)
        ):
            raise ErrorCurso(
                f"La pregunta «{self.clave}» necesita al menos dos opciones de texto distintas.",
                campo="opciones",
            )
        object.__setattr__(self, "opciones", opciones)


def _preguntas(preguntas: object) -> tuple[Pregunta, ...]:
    if isinstance(preguntas, str) or not isinstance(preguntas, Sequence) or not preguntas:
        raise ErrorCurso(
            "Pasa una lista de preguntas.",
            campo="preguntas",
            pista='Por ejemplo [Pregunta("p1", "¿…?", ["A", "B"])].',
        )
    resultado = tuple(
        p if isinstance(p, Pregunta) else Pregunta(**p) if isinstance(p, Mapping) else _no_es_pregunta(p)
        for p in preguntas
    )
    claves = [p.clave for p in resultado]
    if len(set(claves)) != len(claves):
        raise ErrorCurso(
            "Hay dos preguntas con la misma clave.",
            campo="preguntas",
            pista="Cada pregunta necesita una clave distinta: p1, p2, p3…",
        )
    return resultado


def _no_es_pregunta(valor: object) -> Pregunta:
    raise ErrorCurso(
        f"Cada pregunta debe ser un Pregunta(...) o un diccionario, no {type(valor).__name__}.",
        campo="preguntas",
    )


def _aceptadas(valor: object, que: str) -> list[object]:
    """The accepted answers of one question or touchpoint: one text or several."""
    if isinstance(valor, str):
        return [valor]
    if isinstance(valor, Iterable):
        return list(valor)
    raise ErrorCurso(
        f"La respuesta correcta de {citar(que)} debe ser un texto o una lista de textos, "
        f"no {type(valor).__name__}.",
        campo="correctas",
        pista='Por ejemplo {"p1": "Conciencia"} o {"p1": ["Conciencia", "Descubrimiento"]}.',
    )


class _FormularioDeConceptos(Formulario[M]):
    """What both concept forms share: an optional title per exercise and a notice for saved choices that
    no longer match any option (a changed list of questions or stages)."""

    _descartadas: list[str]

    def _iniciar(
        self, ejercicio: str, titulo: str | None, carpeta: Carpeta, kwargs: dict[str, Any], aviso: str
    ) -> None:
        self._descartadas = []
        if titulo:
            self.titulo = titulo
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)
        if self._descartadas:
            self._mostrar_aviso(aviso.format("; ".join(self._descartadas)))


class FormularioCuestionario(_FormularioDeConceptos[RespuestasCuestionario]):
    """Un cuestionario de opción múltiple que se guarda solo.

    ``formulario.respuesta`` es un :class:`~cj_course.modelo.RespuestasCuestionario` con las
    opciones elegidas (``None`` si no respondiste ninguna).
    """

    tipo = RespuestasCuestionario
    titulo = "Comprueba lo que aprendiste"
    instrucciones = (
        "Elige una opción en cada pregunta (con el teclado: Tab para llegar, flechas para elegir)."
    )

    def __init__(
        self,
        ejercicio: str,
        preguntas: Sequence[Pregunta | Mapping[str, Any]],
        *,
        correctas: Mapping[str, object] | None = None,
        titulo: str | None = None,
        carpeta: Carpeta = None,
        **kwargs: Any,
    ) -> None:
        self.preguntas = _preguntas(preguntas)
        self._correctas = self._revisar_correctas(correctas)
        self._iniciar(
            ejercicio,
            titulo,
            carpeta,
            kwargs,
            "Estas respuestas guardadas ya no coinciden con ninguna opción y no se marcaron: {}. Vuelve a elegir.",
        )

    def _revisar_correctas(self, correctas: Mapping[str, object] | None) -> dict[str, object] | None:
        if correctas is None:
            return None
        por_clave = {p.clave: p for p in self.preguntas}
        for clave, valor in correctas.items():
            if clave not in por_clave:
                raise ErrorCurso(
                    f"correctas menciona la pregunta «{clave}», que no existe.", campo="correctas"
                )
            aceptadas = _aceptadas(valor, clave)
            if not set(aceptadas) <= set(por_clave[clave].opciones):
                raise ErrorCurso(
                    f"La respuesta correcta de «{clave}» no es ninguna de sus opciones.",
                    campo="correctas",
                    pista="Copia el texto exacto de la opción.",
                )
        return dict(correctas)

    def _crear_controles(self) -> list[widgets.Widget]:
        self.opciones: dict[str, widgets.RadioButtons] = {}
        self._comentarios: dict[str, widgets.HTML] = {}
        bloques = []
        for i, pregunta in enumerate(self.preguntas, start=1):
            radio = widgets.RadioButtons(
                options=list(pregunta.opciones),
                index=None,
                description=f"Pregunta {i}",
                tooltip=pregunta.enunciado,
                style={"description_width": "7em"},
                layout=widgets.Layout(width="auto"),
            )
            self.opciones[pregunta.clave] = radio
            self._comentarios[pregunta.clave] = widgets.HTML()
            bloques.append(
                widgets.VBox(
                    [
                        widgets.HTML(
                            f"<p style='margin:0.6em 0 0.2em'><b>{i}.</b> {html.escape(pregunta.enunciado)}</p>"
                        ),
                        radio,
                        self._comentarios[pregunta.clave],
                    ]
                )
            )
            self._vigilar(radio)
        return bloques

    def _leer_estado(self) -> dict[str, Any]:
        return {"respuestas": {clave: radio.value for clave, radio in self.opciones.items()}}

    def _poner_estado(self, estado: dict[str, Any]) -> None:
        guardadas = estado.get("respuestas") if isinstance(estado, dict) else None
        guardadas = guardadas if isinstance(guardadas, dict) else {}
        for i, pregunta in enumerate(self.preguntas, start=1):
            valor = guardadas.get(pregunta.clave)
            if valor is not None and valor not in pregunta.opciones:
                self._descartadas.append(f"pregunta {i} («{valor}»)")
                valor = None
            self.opciones[pregunta.clave].value = valor

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[RespuestasCuestionario | None, list[str]]:
        guardadas = estado.get("respuestas") if isinstance(estado, dict) else None
        elegidas = {k: v for k, v in (guardadas or {}).items() if isinstance(v, str) and v.strip()}
        return (RespuestasCuestionario(elegidas) if elegidas else None), []

    @classmethod
    def estado_de(cls, respuestas: RespuestasCuestionario) -> dict[str, Any]:
        return {"respuestas": dict(respuestas.respuestas)}

    def _informe_de(self, respuestas: RespuestasCuestionario | None) -> Informe:
        etiquetas = {p.clave: f"Pregunta {i}" for i, p in enumerate(self.preguntas, start=1)}
        return validar_cuestionario(respuestas or RespuestasCuestionario({}), etiquetas, self._correctas)

    def _actualizar_vista(self, respuestas: RespuestasCuestionario | None) -> None:
        if self._correctas is None:
            return
        elegidas = respuestas.respuestas if respuestas is not None else {}
        for pregunta in self.preguntas:
            elegida = elegidas.get(pregunta.clave)
            if elegida is None or pregunta.clave not in self._correctas:
                self._comentarios[pregunta.clave].value = ""
                continue
            ok = elegida in _aceptadas(self._correctas[pregunta.clave], pregunta.clave)
            explicacion = f" {html.escape(pregunta.explicacion)}" if pregunta.explicacion else ""
            self._comentarios[pregunta.clave].value = (
                f"<div role='status' style='color:{'#1e8449' if ok else '#b03a2e'}'>"
                f"{f'{MARCA_OK} ¡Correcto!' if ok else f'{MARCA_FALLO} No es esa; inténtalo de nuevo.'}"
                f"{explicacion}</div>"
            )


class FormularioClasificacion(_FormularioDeConceptos[Clasificacion]):
    """Clasifica puntos de contacto en las etapas del recorrido (una lista desplegable por punto).

    ``formulario.respuesta`` es una :class:`~cj_course.modelo.Clasificacion` (punto -> clave de la etapa).
    """

    tipo = Clasificacion
    titulo = "¿En qué etapa ocurre cada punto de contacto?"
    instrucciones = "Elige la etapa del recorrido en la que ocurre cada punto de contacto."

    def __init__(
        self,
        ejercicio: str,
        puntos: Sequence[str],
        *,
        modelo: str = "clasico",
        correctas: Mapping[str, object] | None = None,
        titulo: str | None = None,
        elementos: tuple[str, str] = ("punto de contacto", "puntos de contacto"),
        carpeta: Carpeta = None,
        **kwargs: Any,
    ) -> None:
        # How the things being classified are called in the feedback ("táctica", "tácticas").
        self.elementos = (str(elementos[0]), str(elementos[1]))
        if (
            isinstance(puntos, str)
            or not isinstance(puntos, Sequence)
            or not puntos
            or not all(isinstance(p, str) and p.strip() for p in puntos)
            or len(set(puntos)) != len(puntos)
        ):
            raise ErrorCurso(
                "Los puntos de contacto deben ser una lista de textos distintos.",
                campo="puntos",
                pista='Por ejemplo ["Anuncio en Instagram", "Encuesta de satisfacción"].',
            )
        self.puntos = tuple(p.strip() for p in puntos)
        self.modelo_etapas = modelo_de_etapas(modelo)
        self._correctas: dict[str, set[str]] | None = None
        if correctas is not None:
            self._correctas = {}
            for punto, etapas in correctas.items():
                if punto not in self.puntos:
                    raise ErrorCurso(
                        f"correctas menciona «{punto}», que no está en la lista.", campo="correctas"
                    )
                self._correctas[punto] = {normalizar_etapa(e) for e in _aceptadas(etapas, punto)}
        self._iniciar(
            ejercicio,
            titulo,
            carpeta,
            kwargs,
            "Estas clasificaciones guardadas no corresponden a las etapas de este ejercicio y no se marcaron: {}.",
        )

    def _crear_controles(self) -> list[widgets.Widget]:
        # "" and not None: ipywidgets shows value None as an empty box instead of the prompt.
        opciones = [("— Elige una etapa —", ""), *((e.nombre, e.clave) for e in self.modelo_etapas.etapas)]
        ancho = round(min(28, max(len(p) for p in self.puntos) * 0.6 + 1))  # em: labels aligned, none cut
        self.listas: dict[str, widgets.Dropdown] = {}
        self._comentarios: dict[str, widgets.HTML] = {}
        filas = []
        for punto in self.puntos:
            lista = widgets.Dropdown(
                options=opciones,
                value="",
                description=punto,
                tooltip=f"Etapa en la que ocurre: {punto}",
                style={"description_width": f"{ancho}em"},
                layout=widgets.Layout(width=f"{ancho + 13}em"),
            )
            self.listas[punto] = lista
            self._comentarios[punto] = widgets.HTML()
            filas.append(
                widgets.HBox([lista, self._comentarios[punto]], layout=widgets.Layout(align_items="center"))
            )
            self._vigilar(lista)
        return filas

    def _leer_estado(self) -> dict[str, Any]:
        return {"asignaciones": {punto: lista.value or None for punto, lista in self.listas.items()}}

    def _poner_estado(self, estado: dict[str, Any]) -> None:
        guardadas = estado.get("asignaciones") if isinstance(estado, dict) else None
        guardadas = guardadas if isinstance(guardadas, dict) else {}
        claves = self.modelo_etapas.claves()
        for punto, lista in self.listas.items():
            valor = guardadas.get(punto)
            if valor is not None and valor not in claves:
                self._descartadas.append(f"«{punto}» ({valor})")
                valor = None
            lista.value = valor or ""

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[Clasificacion | None, list[str]]:
        guardadas = estado.get("asignaciones") if isinstance(estado, dict) else None
        elegidas = {k: v for k, v in (guardadas or {}).items() if v}
        return (Clasificacion(elegidas) if elegidas else None), []

    @classmethod
    def estado_de(cls, clasificacion: Clasificacion) -> dict[str, Any]:
        return {"asignaciones": dict(clasificacion.asignaciones)}

    def _informe_de(self, clasificacion: Clasificacion | None) -> Informe:
        return validar_clasificacion(
            clasificacion or Clasificacion({}), list(self.puntos), self._correctas, elementos=self.elementos
        )

    def _actualizar_vista(self, clasificacion: Clasificacion | None) -> None:
        if self._correctas is None:
            return
        elegidas = clasificacion.asignaciones if clasificacion is not None else {}
        for punto in self.puntos:
            elegida = elegidas.get(punto)
            if elegida is None or punto not in self._correctas:
                self._comentarios[punto].value = ""
                continue
            ok = elegida in self._correctas[punto]
            self._comentarios[punto].value = (
                f"<span role='status' style='color:{'#1e8449' if ok else '#b03a2e'}'>"
                f"{f'{MARCA_OK} correcto' if ok else f'{MARCA_FALLO} no es esa etapa'}</span>"
            )


def cargar_cuestionario(ejercicio: str, carpeta: Carpeta = None) -> RespuestasCuestionario | None:
    """Las respuestas guardadas por :class:`FormularioCuestionario`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, RespuestasCuestionario, carpeta)


def cargar_clasificacion(ejercicio: str, carpeta: Carpeta = None) -> Clasificacion | None:
    """La clasificación guardada por :class:`FormularioClasificacion`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, Clasificacion, carpeta)

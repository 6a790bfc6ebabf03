"""Lo que comparten los formularios de filas repetidas (los tres segmentos, las tres métricas).

Cada fila es un grupo de campos de texto; una fila vacía no cuenta, una fila sin su campo
obligatorio se anota («todavía no cuenta») y las demás forman los elementos de la respuesta.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..modelo import ObjetoDelCurso
from ..persistencia import Carpeta
from ._base import Formulario, encabezado, texto_de, vacio

M = TypeVar("M", bound=ObjetoDelCurso)  # the answer (Segmentacion, PlanDeMetricas)
E = TypeVar("E", bound=ObjetoDelCurso)  # one row's object (Segmento, MetricaElegida)

FILAS_MAXIMAS = 10


class FormularioDeFilas(Formulario[M], Generic[M, E]):
    """Base de los formularios con ``n`` filas iguales de campos de texto.

    Cada subclase dice cómo se llaman sus filas (``clave``, ``nombre_fila``, ``plural``), qué campos
    tienen (``campos_fila``, el obligatorio en ``obligatorio``) y da tres piezas pequeñas:
    ``_crear_fila`` (los controles de una fila), ``_elemento`` (textos -> objeto) y ``_textos``
    (objeto -> textos). La respuesta guarda sus filas en el campo que se llama como ``clave``
    (``Segmentacion.segmentos``, ``PlanDeMetricas.metricas``).
    """

    clave: ClassVar[str]  # the key of the rows in the saved state ("segmentos")
    nombre_fila: ClassVar[str]  # the heading of each row ("Segmento" -> "Segmento 1")
    plural: ClassVar[str]  # for the error on a bad ``n`` ("segmentos")
    campos_fila: ClassVar[tuple[str, ...]]
    obligatorio: ClassVar[str]  # a row without it does not count yet
    sin_obligatorio: ClassVar[str]  # the note for such a row, with ``{i}`` for its number

    filas_por_omision: ClassVar[int]  # how many rows the exercise asks for (three segments, three metrics)

    def __init__(
        self, ejercicio: str, *, n: int | None = None, carpeta: Carpeta = None, **kwargs: Any
    ) -> None:
        n = self.filas_por_omision if n is None else n
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= FILAS_MAXIMAS:
            raise ErrorCurso(
                f"El número de {self.plural} debe ser un entero entre 1 y {FILAS_MAXIMAS}.",
                campo="n",
                pista="Por ejemplo n=3.",
            )
        self._n = n
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    # -- what subclasses provide ------------------------------------------------------------
    def _crear_fila(self, i: int) -> dict[str, widgets.Widget]:
        raise NotImplementedError

    @classmethod
    def _elemento(cls, textos: dict[str, str]) -> E:
        raise NotImplementedError

    @classmethod
    def _textos(cls, elemento: E) -> dict[str, str]:
        raise NotImplementedError

    @classmethod
    def _juntar(cls, elementos: list[E]) -> M:
        """The answer holds its rows in the field named like the rows (``Segmentacion(segmentos)``)."""
        return cls.tipo(**{cls.clave: elementos})

    @classmethod
    def _elementos(cls, respuesta: M) -> list[E]:
        return list(getattr(respuesta, cls.clave))

    # -- the shared machinery ---------------------------------------------------------------
    def _crear_controles(self) -> list[widgets.Widget]:
        self.filas: list[dict[str, widgets.Widget]] = []
        self._caja = widgets.VBox()
        self._asegurar_filas(self._n)
        return [self._caja]

    def _asegurar_filas(self, n: int) -> None:
        while len(self.filas) < n:
            fila = self._crear_fila(len(self.filas) + 1)
            self._vigilar(*fila.values())
            self.filas.append(fila)
        self._caja.children = [
            widgets.VBox(
                [encabezado(f"{self.nombre_fila} {i}"), *fila.values()],
                layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px", margin="4px 0"),
            )
            for i, fila in enumerate(self.filas, start=1)
        ]

    def _leer_estado(self) -> dict[str, Any]:
        return {self.clave: [{campo: fila[campo].value for campo in self.campos_fila} for fila in self.filas]}

    def _poner_estado(self, estado: dict[str, Any]) -> None:
        guardadas = estado.get(self.clave) if isinstance(estado, dict) else None
        guardadas = [g for g in guardadas if isinstance(g, dict)] if isinstance(guardadas, list) else []
        self._asegurar_filas(max(self._n, len(guardadas)))
        for i, fila in enumerate(self.filas):
            datos = guardadas[i] if i < len(guardadas) else {}
            for campo in self.campos_fila:
                fila[campo].value = texto_de(datos, campo)

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[M | None, list[str]]:
        filas = estado.get(cls.clave, []) if isinstance(estado, dict) else []
        elementos: list[E] = []
        notas: list[str] = []
        algo = False
        for i, datos in enumerate(filas if isinstance(filas, list) else [], start=1):
            textos = {campo: texto_de(datos, campo) for campo in cls.campos_fila}
            if vacio(*textos.values()):
                continue
            algo = True
            if vacio(textos[cls.obligatorio]):
                notas.append(cls.sin_obligatorio.format(i=i))
                continue
            elementos.append(cls._elemento(textos))
        return (cls._juntar(elementos) if algo else None), notas

    @classmethod
    def estado_de(cls, respuesta: M) -> dict[str, Any]:
        return {cls.clave: [cls._textos(e) for e in cls._elementos(respuesta)]}

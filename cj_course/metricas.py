"""Métricas del customer journey: conversión, embudo, retención, abandono, NPS, CSAT, CES, CLV.

Las tasas se dan en porcentaje (0 a 100) y el NPS de -100 a 100. Las funciones que reciben un
registro de eventos esperan las columnas del curso (``cliente_id``, ``momento``, ``evento`` y,
para dinero, ``importe``), como las que devuelven :func:`cj_course.datos.cargar_datos` y
:func:`cj_course.datos.leer_eventos`. Todo está vectorizado con numpy: un millón de eventos
se procesa en milisegundos si ``cliente_id`` y ``evento`` son categorías (así los dejan los lectores
del curso).

Si algo no cuadra (falta una columna, un evento no existe, una puntuación está fuera de escala),
se lanza :class:`~cj_course.ErrorCurso` con un mensaje en español: nunca se descartan datos en silencio.

>>> import pandas as pd
>>> ev = pd.DataFrame({
...     "cliente_id": ["a", "a", "b", "c", "c"],
...     "momento": pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-02", "2025-01-05", "2025-01-04"]),
...     "evento": ["visita_web", "compra", "visita_web", "visita_web", "compra"],
... })
>>> round(tasa_conversion(ev, "visita_web", "compra"), 1)   # c compró antes de su visita: no cuenta
33.3
>>> nps([10, 9, 8, 6])
25.0
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Real
from statistics import NormalDist
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._errores import ErrorCurso, exigir_tipo
from ._nombres import PEREZOSOS
from ._texto import quisiste_decir
from .etapas import ETAPAS

# What cj_course offers from here (written once, in _nombres), and the types of some results.
__all__ = [
    *PEREZOSOS["metricas"],
    "IntervaloBootstrap",
    "IntervaloNPS",
    "PruebaPermutacion",
    "clientes_por_etapa",
]

_MAX = np.iinfo(np.int64).max
_MIN = np.iinfo(np.int64).min
_EVENTOS_DE_COMPRA = ("compra", "recompra", "contrato", "renovacion", "ampliacion")


# --- validation and preparation of an event log ----------------------------------------------------


@dataclass
class _Registro:
    """An event log reduced to integer arrays: event code and time in ns per row, customer codes on demand.

    Text columns (what any CSV gives) are factorised here, once per call: the event names first (few
    distinct values, cheap), the customers only for the rows a metric needs (:meth:`restringir`),
    because hashing a million customer strings is most of the cost of a metric on text columns.
    """

    t: np.ndarray  # int64 nanoseconds
    _codigos: np.ndarray  # event code per row, -1 never happens (checked)
    _categorias: pd.Index  # event name of each code
    _ids: pd.Series  # the raw customer column (categorical or text)
    _clientes: np.ndarray | None = None
    _n_clientes: int = 0
    t_max: int = 0  # last time in the whole log, kept when rows are restricted

    @property
    def clientes(self) -> np.ndarray:
        """int64 customer code per row, 0..n_clientes-1."""
        if self._clientes is None:
            self._clientes, self._n_clientes = _codificar_clientes(self._ids)
        return self._clientes

    @property
    def n_clientes(self) -> int:
        self.clientes  # noqa: B018 - computes the codes on first use
        return self._n_clientes

    def restringir(self, *mascaras: np.ndarray) -> tuple[_Registro, list[np.ndarray]]:
        """Only the rows in any of ``mascaras`` (customers numbered among them) and the masks on those rows."""
        union = np.logical_or.reduce(mascaras) if len(mascaras) > 1 else mascaras[0]
        completo = None if self._clientes is not None else _clientes_guardados(self._ids)
        if completo is not None:
            clientes, n = completo[0][union], completo[1]
            _sin_cliente(clientes < 0, np.flatnonzero(union))
        elif self._clientes is not None or isinstance(self._ids.dtype, pd.CategoricalDtype):
            clientes, n = self.clientes[union], self.n_clientes
        else:
            clientes, n = _codificar_clientes(self._ids[union], np.flatnonzero(union))
        sub = _Registro(
            self.t[union], self._codigos[union], self._categorias, self._ids, clientes, n, self.t_max
        )
        return sub, [m[union] for m in mascaras]

    def nombres(self) -> list[str]:
        """The event names in the data, most frequent first (for hints)."""
        cuenta = np.bincount(self._codigos[self._codigos >= 0], minlength=len(self._categorias))
        orden = np.argsort(-cuenta, kind="stable")
        return [str(self._categorias[i]) for i in orden if cuenta[i] > 0]

    def mascara(
        self, nombres: str | Sequence[str], campo: str, *, tolerar_ausentes: bool = False
    ) -> np.ndarray:
        """Rows whose event is one of ``nombres``; an unknown name is an error with a hint."""
        lista = _lista_eventos(nombres, campo)
        posiciones = self._categorias.get_indexer(pd.Index(lista))
        ausentes = [n for n, p in zip(lista, posiciones, strict=True) if p < 0]
        if ausentes and not tolerar_ausentes:
            _error_evento(ausentes[0], self.nombres(), campo)
        presentes = posiciones[posiciones >= 0]
        if len(presentes) == 0:
            _error_evento(" / ".join(lista), self.nombres(), campo)
        if len(presentes) == 1:
            return self._codigos == presentes[0]
        # One lookup per row through a small table, instead of one comparison per name.
        tabla = np.zeros(len(self._categorias), dtype=bool)
        tabla[presentes] = True
        return tabla[self._codigos]

    def primera_vez(self, mascara: np.ndarray) -> np.ndarray:
        """Per customer, the time of the first row in ``mascara`` (``_MAX`` if none)."""
        resultado = np.full(self.n_clientes, _MAX, dtype=np.int64)
        np.minimum.at(resultado, self.clientes[mascara], self.t[mascara])
        return resultado

    def ultima_vez(self, mascara: np.ndarray) -> np.ndarray:
        """Per customer, the time of the last row in ``mascara`` (``_MIN`` if none)."""
        resultado = np.full(self.n_clientes, _MIN, dtype=np.int64)
        np.maximum.at(resultado, self.clientes[mascara], self.t[mascara])
        return resultado

    def primera_desde(self, mascara: np.ndarray, desde: np.ndarray) -> np.ndarray:
        """Per customer, the first time in ``mascara`` at or after that customer's ``desde`` time."""
        c, t = self.clientes[mascara], self.t[mascara]
        valido = t >= desde[c]  # desde == _MAX (never reached) rejects every row
        resultado = np.full(self.n_clientes, _MAX, dtype=np.int64)
        np.minimum.at(resultado, c[valido], t[valido])
        return resultado


def _codificar_clientes(ids: pd.Series, posiciones: np.ndarray | None = None) -> tuple[np.ndarray, int]:
    """Customer code per row; ``posiciones`` are the rows' places in the whole log (for the error)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return ids.cat.codes.to_numpy().astype(np.int64), len(ids.cat.categories)
    # Factorising the plain object array skips the string-array wrapper's own checks (about 25 % faster).
    valores = ids.to_numpy(dtype=object) if isinstance(ids.dtype, pd.StringDtype) else ids.to_numpy()
    codigos, unicos = pd.factorize(valores)
    faltan = codigos < 0
    if faltan.any():
        _sin_cliente(faltan, posiciones)
    return codigos.astype(np.int64, copy=False), len(unicos)


# --- factorisations kept between calls ---------------------------------------------------------
# A student computes several metrics on the same table: the text columns are factorised once, like
# DuckDB converts a table once when it loads it. The entry holds the column's Series, which under
# pandas' Copy-on-Write is a reference to the frame's data: any later write to the frame copies the
# column first, so a changed column is a new array and never matches an old entry.
_GUARDADAS: OrderedDict[tuple[int, str, int], tuple[pd.Series, object]] = OrderedDict()
_MAX_GUARDADAS = 6


def _guardada(serie: pd.Series, que: str, calcular):
    llave = (id(serie.array), que, len(serie))
    hallada = _GUARDADAS.get(llave)
    if hallada is not None and hallada[0].array is serie.array:
        _GUARDADAS.move_to_end(llave)
        return hallada[1]
    valor = calcular()
    _GUARDADAS[llave] = (serie, valor)
    while len(_GUARDADAS) > _MAX_GUARDADAS:
        _GUARDADAS.popitem(last=False)
    return valor


def _clientes_guardados(ids: pd.Series) -> tuple[np.ndarray, int] | None:
    """The whole customer column's codes, from the second metric on the same table (the first only needs
    the rows it uses, which is faster than all of them)."""
    if isinstance(ids.dtype, pd.CategoricalDtype):
        return None
    if not _guardada(ids, "vista", lambda: False):  # the first use stores "seen" and returns False
        _GUARDADAS[(id(ids.array), "vista", len(ids))] = (ids, True)
        return None

    def todos() -> tuple[np.ndarray, int]:
        valores = ids.to_numpy(dtype=object) if isinstance(ids.dtype, pd.StringDtype) else ids.to_numpy()
        codigos, unicos = pd.factorize(valores)
        codigos = codigos.astype(np.int64, copy=False)
        codigos.flags.writeable = False
        return codigos, len(unicos)

    return _guardada(ids, "clientes", todos)


def _sin_cliente(faltan: np.ndarray, posiciones: np.ndarray | None = None) -> None:
    if not faltan.any():
        return
    filas = np.flatnonzero(faltan)[:5]
    filas = (posiciones[filas] if posiciones is not None else filas).tolist()
    raise ErrorCurso(
        f"Hay eventos sin cliente_id (posiciones {filas}).",
        campo="cliente_id",
        pista="Borra esas filas o complétalas; cada evento debe tener su cliente.",
    )


class AvisoOrden(UserWarning):
    """Aviso: con fechas sin hora o momentos empatados no se puede saber en qué orden ocurrieron los pasos."""


def _avisar_orden(registro: _Registro, empates: int, que: str) -> None:
    """Warn when some customers did two steps at the same instant: their order cannot be known."""
    # A handful of ties among thousands of customers (seconds that coincide) does not change a figure.
    if not empates or empates < 0.005 * registro.n_clientes:
        return
    import warnings

    dia = 86_400 * 10**9
    if not (registro.t % dia).any():
        causa = (
            "Tus datos solo tienen fechas, sin hora, así que dos pasos del mismo día quedan empatados. "
            "Si tu herramienta exporta la hora, úsala."
        )
    else:
        causa = "Suele pasar cuando la herramienta redondea la hora al minuto o al segundo."
    warnings.warn(
        f"En {que}, {empates} cliente(s) tienen dos pasos en el mismo momento: no se puede saber cuál fue primero "
        f"(se cuentan como si el orden fuera el correcto). {causa}",
        AvisoOrden,
        stacklevel=3,
    )


def _lista_eventos(nombres: object, campo: str) -> list[str]:
    if isinstance(nombres, str):
        lista = [nombres]
    elif isinstance(nombres, list | tuple | set | frozenset):
        lista = list(nombres)
    else:
        raise ErrorCurso(
            f"'{campo}' debe ser el nombre de un evento (texto) o una lista de nombres, no {type(nombres).__name__}.",
            campo=campo,
            pista='Por ejemplo "compra" o ["compra", "recompra"].',
        )
    if not lista or not all(isinstance(n, str) and n.strip() for n in lista):
        raise ErrorCurso(
            f"'{campo}' debe contener nombres de evento no vacíos.",
            campo=campo,
            pista='Por ejemplo "compra".',
        )
    return lista


def _error_evento(nombre: str, presentes: list[str], campo: str):
    quizas = quisiste_decir(nombre, presentes)
    lista = ", ".join(presentes[:20]) + (" …" if len(presentes) > 20 else "")
    raise ErrorCurso(
        f"No hay ningún evento '{nombre}' en los datos.",
        campo=campo,
        pista=f"{quizas}Los eventos presentes son: {lista or '(ninguno)'}.",
    )


def _comprobar_tabla(valor: object, columnas: Iterable[str], que: str = "eventos") -> pd.DataFrame:
    eventos = exigir_tipo(
        valor,
        pd.DataFrame,
        f"Se esperaba una tabla de {que} (DataFrame de pandas)",
        pista="Usa cargar_datos('zapatos').eventos o lee tus datos con cj_course.datos.leer_eventos.",
    )
    faltan = [c for c in columnas if c not in eventos.columns]
    if faltan:
        raise ErrorCurso(
            f"A la tabla de {que} le falta la columna '{faltan[0]}'. Tiene: {', '.join(map(str, eventos.columns))}.",
            campo=faltan[0],
            pista="Renombra tus columnas con df.rename(columns={...}) o léelas con cj_course.datos.leer_eventos.",
        )
    if len(eventos) == 0:
        raise ErrorCurso(f"La tabla de {que} está vacía.", pista="Revisa el filtro que aplicaste antes.")
    return eventos


def _preparar(eventos: object) -> _Registro:
    tabla = _comprobar_tabla(eventos, ("cliente_id", "momento", "evento"))
    ids = tabla["cliente_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        _sin_cliente(ids.cat.codes.to_numpy() < 0)
    # Text ids are checked when they are factorised (a missing one gets code -1): checking here too
    # would cost as much as a whole metric on a million rows.
    momento = tabla["momento"]
    if not pd.api.types.is_datetime64_any_dtype(momento.dtype):
        raise ErrorCurso(
            f"La columna 'momento' debe contener fechas, pero es de tipo {momento.dtype}.",
            campo="momento",
            pista="Conviértela con pd.to_datetime(eventos['momento']) o lee los datos con leer_eventos.",
        )
    if getattr(momento.dt, "tz", None) is not None:
        momento = momento.dt.tz_localize(None)
    if momento.dtype != np.dtype("datetime64[ns]"):
        minimo, maximo = momento.min(), momento.max()
        if pd.notna(minimo) and (minimo < pd.Timestamp("1678-01-01") or maximo >= pd.Timestamp("2262-01-01")):
            raise ErrorCurso(
                "Hay fechas fuera del rango que se puede analizar (años 1678 a 2261).",
                campo="momento",
                pista="Revisa el año de las fechas más antiguas y más recientes.",
            )
    t = momento.to_numpy().astype("datetime64[ns]").view(np.int64)
    if (t == _MIN).any():  # NaT
        raise ErrorCurso(
            "Hay eventos sin fecha en 'momento'.",
            campo="momento",
            pista="Completa esas fechas o borra esas filas.",
        )
    evento = tabla["evento"]
    if isinstance(evento.dtype, pd.CategoricalDtype):
        codigos_evento, categorias = evento.cat.codes.to_numpy(), evento.cat.categories
    else:
        codigos_evento, categorias = _guardada(evento, "eventos", lambda: _factorizar_eventos(evento))
    sin_nombre = codigos_evento < 0
    if sin_nombre.any():
        raise ErrorCurso(
            f"Hay {int(sin_nombre.sum())} evento(s) sin nombre en la columna 'evento'.",
            campo="evento",
            pista="Completa el nombre de esos eventos o borra esas filas.",
        )
    return _Registro(t, codigos_evento, categorias, ids, t_max=int(t.max()))


def _factorizar_eventos(evento: pd.Series) -> tuple[np.ndarray, pd.Index]:
    valores = evento.to_numpy(dtype=object) if isinstance(evento.dtype, pd.StringDtype) else evento.to_numpy()
    codigos, unicos = pd.factorize(valores)
    codigos.flags.writeable = False
    return codigos, pd.Index(unicos)


def _numero(valor: object, campo: str) -> float:
    if isinstance(valor, bool) or not isinstance(valor, Real):
        raise ErrorCurso(
            f"'{campo}' debe ser un número, no {type(valor).__name__}.",
            campo=campo,
            pista="Escribe el número sin comillas, por ejemplo 120.",
        )
    numero = float(valor)
    if not math.isfinite(numero):
        raise ErrorCurso(f"'{campo}' debe ser un número finito.", campo=campo, pista="Revisa el valor.")
    if numero < 0:
        raise ErrorCurso(
            f"'{campo}' no puede ser negativo ({valor}).",
            campo=campo,
            pista="Los conteos de clientes y los importes son cero o positivos.",
        )
    return numero


# --- conversion and funnel -----------------------------------------------------------------------


def tasa_conversion(eventos: pd.DataFrame, desde: str | Sequence[str], hasta: str | Sequence[str]) -> float:
    """Porcentaje de clientes con un evento ``desde`` que después tienen un evento ``hasta``.

    **Definición.** De los clientes que tienen al menos un evento ``desde``, la proporción que
    tiene un evento ``hasta`` en el mismo momento o después de su *primer* ``desde``.
    **Unidad:** porcentaje, de 0 a 100.

    **Casos límite.** Un ``hasta`` anterior al primer ``desde`` no cuenta (no es una conversión
    de ese recorrido). ``desde`` o ``hasta`` pueden ser listas (cualquiera de esos eventos).
    Un evento que no aparece en los datos es un error con la lista de los presentes.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "b"],
    ...                    "momento": pd.to_datetime(["2025-03-01 10:00", "2025-03-01 10:05", "2025-03-02 09:00"]),
    ...                    "evento": ["inicio_pago", "compra", "inicio_pago"]})
    >>> tasa_conversion(ev, "inicio_pago", "compra")
    50.0
    """
    registro = _preparar(eventos)
    if set(_lista_eventos(desde, "desde")) & set(_lista_eventos(hasta, "hasta")):
        raise ErrorCurso(
            "'desde' y 'hasta' comparten eventos: la conversión sería siempre 100 %.",
            campo="hasta",
            pista="Elige eventos distintos, por ejemplo 'visita_web' y 'compra'.",
        )
    registro, (m_desde, m_hasta) = registro.restringir(
        registro.mascara(desde, "desde"), registro.mascara(hasta, "hasta")
    )
    primero = registro.primera_vez(m_desde)
    ultimo = registro.ultima_vez(m_hasta)
    base = primero != _MAX
    total = int(base.sum())
    if total == 0:  # pragma: no cover - a name that is present always has a first time
        raise ErrorCurso(
            f"Ningún cliente tiene el evento '{desde}' en estos datos: la tasa no se puede calcular.",
            campo="desde",
            pista="Revisa el filtro aplicado a los eventos.",
        )
    convierte = base & (ultimo >= primero)
    empates = int((registro.primera_desde(m_hasta, primero)[convierte] == primero[convierte]).sum())
    _avisar_orden(registro, empates, "la conversión")
    return 100.0 * int(convierte.sum()) / total


def embudo(eventos: pd.DataFrame, pasos: Sequence[str]) -> pd.DataFrame:
    """Embudo ordenado: cuántos clientes llegan a cada paso respetando el orden en el tiempo.

    **Definición.** Un cliente llega al paso *k* si hizo los pasos 1, 2, …, *k* en ese orden:
    el paso 1 en cualquier momento y cada paso siguiente en el mismo momento o después del paso
    anterior (se toma la primera vez que lo cumple). Quien agrega al carrito sin haber visto antes
    un producto no cuenta en el paso "agregar_carrito" de un embudo ver_producto → agregar_carrito.

    **Devuelve** un DataFrame con una fila por paso: ``paso``, ``clientes`` (entero),
    ``conversion_paso`` (% respecto al paso anterior; 100 en el primero) y ``conversion_total``
    (% respecto al primer paso). **Unidad:** porcentajes de 0 a 100.

    **Casos límite.** Hacen falta al menos dos pasos distintos. Si un paso intermedio tiene 0
    clientes, la conversión del siguiente es ``NaN`` (no hay base). Un paso puede ser una lista de
    eventos equivalentes (por ejemplo ``["compra", "recompra"]``).

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "a", "b", "b", "c"],
    ...                    "momento": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03",
    ...                                               "2025-01-02", "2025-01-01", "2025-01-01"]),
    ...                    "evento": ["visita_web", "agregar_carrito", "compra",
    ...                               "visita_web", "agregar_carrito", "visita_web"]})
    >>> embudo(ev, ["visita_web", "agregar_carrito", "compra"])
                  paso  clientes  conversion_paso  conversion_total
    0       visita_web         3       100.000000        100.000000
    1  agregar_carrito         1        33.333333         33.333333
    2           compra         1       100.000000         33.333333
    """
    if isinstance(pasos, str) or not isinstance(pasos, Sequence) or len(pasos) < 2:
        raise ErrorCurso(
            "El embudo necesita una lista de al menos dos pasos.",
            campo="pasos",
            pista='Por ejemplo ["visita_web", "agregar_carrito", "compra"].',
        )
    etiquetas = [p if isinstance(p, str) else " o ".join(_lista_eventos(p, "pasos")) for p in pasos]
    repetidos = {e for e in etiquetas if etiquetas.count(e) > 1}
    if repetidos:
        raise ErrorCurso(
            f"El paso '{sorted(repetidos)[0]}' aparece más de una vez en el embudo.",
            campo="pasos",
            pista="Cada paso del embudo debe ser un evento distinto.",
        )
    registro = _preparar(eventos)
    registro, mascaras = registro.restringir(*[registro.mascara(p, "pasos") for p in pasos])
    tiempo = registro.primera_vez(mascaras[0])
    clientes = [int((tiempo != _MAX).sum())]
    if clientes[0] == 0:
        raise ErrorCurso(
            f"Ningún cliente tiene el primer paso ('{etiquetas[0]}') en estos datos.",
            campo="pasos",
            pista="Revisa el filtro aplicado a los eventos.",
        )
    empates = np.zeros(registro.n_clientes, dtype=bool)
    for mascara in mascaras[1:]:
        anterior_t = tiempo
        tiempo = registro.primera_desde(mascara, tiempo)
        llegan = tiempo != _MAX
        empates |= llegan & (tiempo == anterior_t)
        clientes.append(int(llegan.sum()))
    _avisar_orden(registro, int(empates.sum()), "el embudo")
    conteo = np.asarray(clientes, dtype=np.int64)
    anterior = np.concatenate([[conteo[0]], conteo[:-1]]).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        paso = np.where(anterior > 0, 100.0 * conteo / anterior, np.nan)
    return pd.DataFrame(
        {
            "paso": pd.Series(etiquetas, dtype="str"),
            "clientes": conteo,
            "conversion_paso": paso,
            "conversion_total": 100.0 * conteo / conteo[0],
        }
    )


def tiempo_hasta_conversion(
    eventos: pd.DataFrame, desde: str | Sequence[str], hasta: str | Sequence[str], unidad: str = "dias"
) -> float:
    """Mediana del tiempo que tardan en convertir los clientes que convierten.

    **Definición.** Para cada cliente con un ``desde``, el tiempo entre su primer ``desde`` y su
    primer ``hasta`` en el mismo momento o después; se toma la mediana entre los que convierten
    (la mediana no se deja arrastrar por unos pocos que tardan meses).
    **Unidad:** ``"dias"`` (por defecto), ``"horas"`` o ``"minutos"``.

    **Casos límite.** Los clientes que no convierten no entran en el cálculo; si nadie convierte
    es un error (no hay tiempo que medir).

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "b", "b"],
    ...                    "momento": pd.to_datetime(["2025-01-01", "2025-01-03", "2025-01-01", "2025-01-05"]),
    ...                    "evento": ["visita_web", "compra", "visita_web", "compra"]})
    >>> tiempo_hasta_conversion(ev, "visita_web", "compra")
    3.0
    """
    divisores = {"dias": 86400e9, "horas": 3600e9, "minutos": 60e9}
    clave = unidad.replace("í", "i").lower() if isinstance(unidad, str) else unidad
    if clave not in divisores:
        raise ErrorCurso(
            f"No conozco la unidad '{unidad}'.", campo="unidad", pista="Usa 'dias', 'horas' o 'minutos'."
        )
    registro = _preparar(eventos)
    registro, (m_desde, m_hasta) = registro.restringir(
        registro.mascara(desde, "desde"), registro.mascara(hasta, "hasta")
    )
    primero = registro.primera_vez(m_desde)
    llegada = registro.primera_desde(m_hasta, primero)
    convierten = _alguno(
        llegada != _MAX,
        f"Ningún cliente pasó de '{desde}' a '{hasta}': no hay tiempo que medir.",
        campo="hasta",
        pista="Revisa los eventos elegidos o el filtro aplicado.",
    )
    return float(np.median(llegada[convierten] - primero[convierten]) / divisores[clave])


# --- money ---------------------------------------------------------------------------------------


def valor_medio_pedido(eventos: pd.DataFrame, compras: str | Sequence[str] | None = None) -> float:
    """Valor medio de un pedido (AOV): importe total de las compras entre el número de compras.

    **Definición.** Suma de ``importe`` de los eventos de compra dividida entre cuántos son.
    Por omisión son compra los eventos ``compra``, ``recompra``, ``contrato``, ``renovacion`` y
    ``ampliacion`` que aparezcan en los datos; con ``compras`` eliges otros.
    **Unidad:** la moneda de ``importe`` (pesos, dólares…).

    **Casos límite.** Una compra sin importe (vacío) es un error, no un cero: arrastraría el
    promedio hacia abajo. Sin compras no hay promedio (error).

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "b"], "momento": pd.to_datetime(["2025-01-01"] * 3),
    ...                    "evento": ["visita_web", "compra", "compra"], "importe": [None, 800.0, 1200.0]})
    >>> valor_medio_pedido(ev)
    1000.0
    """
    tabla = _comprobar_tabla(eventos, ("cliente_id", "momento", "evento", "importe"))
    registro = _preparar(tabla)
    if compras is None:
        mascara = registro.mascara(list(_EVENTOS_DE_COMPRA), "compras", tolerar_ausentes=True)
    else:
        mascara = registro.mascara(compras, "compras")
    importe = tabla["importe"]
    if not pd.api.types.is_numeric_dtype(importe.dtype) or pd.api.types.is_bool_dtype(importe.dtype):
        raise ErrorCurso(
            f"La columna 'importe' debe ser numérica, pero es de tipo {importe.dtype}.",
            campo="importe",
            pista="Conviértela con pd.to_numeric o lee los datos con leer_eventos.",
        )
    valores = importe.to_numpy(dtype=float, na_value=np.nan)[mascara]
    if len(valores) == 0:
        raise ErrorCurso(
            "No hay compras en estos datos.", campo="compras", pista="Revisa el filtro aplicado."
        )
    vacios = np.isnan(valores)
    if vacios.any():
        raise ErrorCurso(
            f"Hay {int(vacios.sum())} compra(s) sin importe.",
            campo="importe",
            pista="Completa el importe de esas compras o bórralas antes de calcular.",
        )
    return float(valores.mean())


def clv(valor_medio_pedido: float, compras_por_anio: float, anios: float, margen: float = 1.0) -> float:
    """Valor de vida del cliente (CLV) simple: cuánto deja un cliente durante toda la relación.

    **Definición.** ``valor_medio_pedido × compras_por_anio × anios × margen``. Con ``margen=1``
    (por omisión) es ingreso; con el margen bruto (por ejemplo 0.4) es ganancia.
    **Unidad:** la moneda del valor medio del pedido.

    **Casos límite.** Valores negativos son un error; ``margen`` debe estar entre 0 y 1.

    >>> clv(1000, compras_por_anio=2, anios=3, margen=0.4)
    2400.0
    """
    aov = _numero(valor_medio_pedido, "valor_medio_pedido")
    frecuencia = _numero(compras_por_anio, "compras_por_anio")
    duracion = _numero(anios, "anios")
    m = _numero(margen, "margen")
    if m > 1:
        raise ErrorCurso(
            f"El margen debe ir de 0 a 1 y vale {margen}.",
            campo="margen",
            pista="Escribe el margen como proporción: 40 % es 0.4.",
        )
    return aov * frecuencia * duracion * m


# --- retention and churn -------------------------------------------------------------------------


def tasa_retencion(inicio: int, fin: int, nuevos: int) -> float:
    """Tasa de retención clásica de un periodo: ((E − N) / S) × 100.

    **Definición.** ``inicio`` (S) son los clientes al empezar el periodo, ``fin`` (E) los clientes
    al terminarlo y ``nuevos`` (N) los que llegaron durante el periodo. E − N son los que ya
    estaban y siguen. **Unidad:** porcentaje, de 0 a 100.

    **Casos límite.** S = 0 no tiene retención (error). Es imposible tener más nuevos que clientes
    al final (N > E) o retener más clientes de los que había (E − N > S): ambos son errores.

    >>> tasa_retencion(inicio=200, fin=210, nuevos=30)
    90.0
    """
    s = _numero(inicio, "inicio")
    e = _numero(fin, "fin")
    n = _numero(nuevos, "nuevos")
    if s == 0:
        raise ErrorCurso(
            "Con 0 clientes al inicio la retención no se puede calcular (sería dividir entre 0).",
            campo="inicio",
            pista="Elige un periodo en el que ya tuvieras clientes al empezar.",
        )
    if n > e:
        raise ErrorCurso(
            f"Hay más clientes nuevos ({nuevos}) que clientes al final ({fin}).",
            campo="nuevos",
            pista="Los nuevos están incluidos en los del final: revisa los conteos.",
        )
    if e - n > s:
        raise ErrorCurso(
            f"Según los datos siguen {e - n:g} clientes antiguos, pero al inicio solo había {inicio}.",
            campo="fin",
            pista="E − N (clientes del final que no son nuevos) no puede superar a S (clientes al inicio).",
        )
    return 100.0 * (e - n) / s


def clientes_activos(
    eventos: pd.DataFrame,
    fecha: str | pd.Timestamp,
    *,
    dias: int = 365,
    compras: str | Sequence[str] | None = None,
) -> set[str]:
    """Los clientes activos en una fecha: con al menos una compra en los ``dias`` anteriores (sin contar ``fecha``).

    Sirve para sacar S, E y N de :func:`tasa_retencion` de tus propios pedidos: S son los activos al
    empezar el periodo, E los activos al terminarlo y N los activos al final que no lo eran al empezar.
    **Compras** son, por omisión, los eventos ``compra``, ``recompra``, ``contrato``, ``renovacion`` y
    ``ampliacion`` presentes; con ``compras`` eliges otros. **Devuelve** un conjunto de ``cliente_id``.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "b", "b", "c"],
    ...                    "momento": pd.to_datetime(["2024-06-01", "2023-05-01", "2025-02-01", "2025-03-01"]),
    ...                    "evento": ["compra", "compra", "recompra", "compra"]})
    >>> al_inicio, al_final = clientes_activos(ev, "2025-01-01"), clientes_activos(ev, "2025-04-01")
    >>> sorted(al_inicio), sorted(al_final), sorted(al_final - al_inicio)
    (['a'], ['a', 'b', 'c'], ['b', 'c'])
    """
    if isinstance(dias, bool) or not isinstance(dias, int) or dias <= 0:
        raise ErrorCurso(
            f"'dias' debe ser un número entero de días mayor que 0, no {dias!r}.",
            campo="dias",
            pista="Por ejemplo dias=365 para «compró en el último año».",
        )
    try:
        momento = pd.Timestamp(fecha)
    except (ValueError, TypeError):
        raise ErrorCurso(
            f"No entiendo la fecha {fecha!r}.",
            campo="fecha",
            pista="Escríbela como texto año-mes-día, por ejemplo '2025-01-01'.",
        ) from None
    if pd.isna(momento):
        raise ErrorCurso("La fecha está vacía.", campo="fecha", pista="Por ejemplo '2025-01-01'.")
    registro = _preparar(eventos)
    if compras is None:
        mascara = registro.mascara(list(_EVENTOS_DE_COMPRA), "compras", tolerar_ausentes=True)
    else:
        mascara = registro.mascara(compras, "compras")
    fin = momento.as_unit("ns").value
    inicio = (momento - pd.Timedelta(days=dias)).as_unit("ns").value
    mascara &= (registro.t >= inicio) & (registro.t < fin)
    ids = eventos["cliente_id"].to_numpy(dtype=object)[mascara]
    return {str(c) for c in pd.unique(ids)}


def tasa_abandono(inicio: int, fin: int, nuevos: int) -> float:
    """Tasa de abandono (churn) de un periodo: el porcentaje de clientes del inicio que se fueron.

    **Definición.** ``100 − tasa_retencion(inicio, fin, nuevos)``, es decir (S − (E − N)) / S × 100.
    **Unidad:** porcentaje, de 0 a 100. **Casos límite:** los mismos que :func:`tasa_retencion`.

    >>> tasa_abandono(inicio=200, fin=210, nuevos=30)
    10.0
    """
    return 100.0 - tasa_retencion(inicio, fin, nuevos)


_PERIODOS = {
    "mes": "M",
    "m": "M",
    "me": "M",
    "ms": "M",
    "meses": "M",
    "mensual": "M",
    "semana": "W",
    "w": "W",
    "semanas": "W",
    "semanal": "W",
    "trimestre": "Q",
    "q": "Q",
    "trimestres": "Q",
    "trimestral": "Q",
    "qe": "Q",
}


def _indice_periodo(t_ns: np.ndarray, periodo: str) -> np.ndarray:
    if periodo == "W":
        dias = np.floor_divide(t_ns, 86400 * 10**9)
        return np.floor_divide(dias + 3, 7)  # 1970-01-01 was a Thursday: weeks start on Monday
    meses = t_ns.astype("datetime64[ns]").astype("datetime64[M]").astype(np.int64)
    return meses if periodo == "M" else np.floor_divide(meses, 3)


def _etiquetas_periodo(indices: np.ndarray, periodo: str) -> pd.PeriodIndex:
    if periodo == "W":
        lunes = (indices * 7 - 3).astype("datetime64[D]")
        return pd.PeriodIndex(pd.DatetimeIndex(lunes), freq="W-SUN", name="cohorte")
    meses = (indices * (3 if periodo == "Q" else 1)).astype("datetime64[M]")
    return pd.PeriodIndex(pd.DatetimeIndex(meses), freq="Q" if periodo == "Q" else "M", name="cohorte")


def retencion_cohortes(
    eventos: pd.DataFrame,
    inicio: str | Sequence[str] = "compra",
    retorno: str | Sequence[str] | None = None,
    periodo: str = "mes",
) -> pd.DataFrame:
    """Matriz de retención por cohortes: de cada cohorte, qué porcentaje vuelve en cada periodo.

    **Definición.** La cohorte de un cliente es el periodo (mes, semana o trimestre) de su primer
    evento ``inicio`` (por omisión, su primera compra). La celda (cohorte, k) es el porcentaje de la
    cohorte con al menos un evento de ``retorno`` *k* periodos después. El periodo 0 vale 100 por
    definición. ``retorno`` son los eventos que cuentan como volver; por omisión, los de ``inicio``
    y, si aparece en los datos, ``recompra``.
    **Unidad:** porcentaje, de 0 a 100. Filas: ``PeriodIndex`` llamado ``cohorte``; columnas:
    0, 1, 2… (periodos transcurridos). El tamaño de cada cohorte queda en ``.attrs["clientes"]``
    (y el periodo y el evento de inicio en ``.attrs["periodo"]`` y ``.attrs["inicio"]``).

    **Casos límite.** Las celdas que aún no se pueden observar (la cohorte de hace 2 meses no tiene
    dato del mes 5) son ``NaN``, no 0. ``periodo`` admite ``"mes"``, ``"semana"`` o ``"trimestre"``.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "b", "c"],
    ...                    "momento": pd.to_datetime(["2025-01-05", "2025-02-10", "2025-01-20", "2025-02-01"]),
    ...                    "evento": ["compra", "recompra", "compra", "compra"]})
    >>> retencion_cohortes(ev)  # doctest: +NORMALIZE_WHITESPACE
    periodo      0     1
    cohorte
    2025-01  100.0  50.0
    2025-02  100.0   NaN
    """
    clave = _PERIODOS.get(periodo.lower().strip()) if isinstance(periodo, str) else None
    if clave is None:
        raise ErrorCurso(
            f"No conozco el periodo '{periodo}'.", campo="periodo", pista="Usa 'mes', 'semana' o 'trimestre'."
        )
    registro = _preparar(eventos)
    m_inicio = registro.mascara(inicio, "inicio")
    if retorno is None:
        m_retorno = m_inicio.copy()
        if _hay_evento(registro, "recompra"):
            m_retorno |= registro.mascara("recompra", "retorno")
    else:
        m_retorno = registro.mascara(retorno, "retorno")
    registro, (m_inicio, m_retorno) = registro.restringir(m_inicio, m_retorno)
    primero = registro.primera_vez(m_inicio)
    en_cohorte = _alguno(
        primero != _MAX,
        f"Ningún cliente tiene el evento '{inicio}': no hay cohortes.",
        campo="inicio",
        pista="Revisa el filtro aplicado a los eventos.",
    )
    periodo_cliente = np.full(registro.n_clientes, -1, dtype=np.int64)
    periodo_cliente[en_cohorte] = _indice_periodo(primero[en_cohorte], clave)
    primera_cohorte = periodo_cliente[en_cohorte].min()
    ultimo_observado = _indice_periodo(np.array([registro.t_max], dtype=np.int64), clave)[0]
    n_cohortes = int(ultimo_observado - primera_cohorte + 1)
    cohorte = np.where(en_cohorte, periodo_cliente - primera_cohorte, -1)

    c = registro.clientes[m_retorno]
    t = registro.t[m_retorno]
    desfase = _indice_periodo(t, clave) - periodo_cliente[c]
    valido = en_cohorte[c] & (desfase >= 0) & (t >= primero[c])
    c, desfase = c[valido], desfase[valido]
    # One mark per (customer, period) no matter how many purchases: a set via a flat integer key.
    llave = np.unique(c * n_cohortes + desfase)
    c_unico, k_unico = np.divmod(llave, n_cohortes)
    celda = cohorte[c_unico] * n_cohortes + k_unico
    conteo = np.bincount(celda, minlength=n_cohortes * n_cohortes).reshape(n_cohortes, n_cohortes)
    tamanos = np.bincount(cohorte[en_cohorte], minlength=n_cohortes)
    conteo[:, 0] = tamanos  # period 0 is the cohort itself, by definition
    with np.errstate(divide="ignore", invalid="ignore"):
        matriz = 100.0 * conteo / tamanos[:, None]
    observable = np.arange(n_cohortes)[None, :] <= (n_cohortes - 1 - np.arange(n_cohortes))[:, None]
    matriz = np.where(observable, matriz, np.nan)
    indice = _etiquetas_periodo(np.arange(n_cohortes) + primera_cohorte, clave)
    con_clientes = tamanos > 0
    resultado = pd.DataFrame(
        matriz[con_clientes], index=indice[con_clientes], columns=pd.RangeIndex(n_cohortes, name="periodo")
    )
    resultado.attrs["clientes"] = pd.Series(
        tamanos[con_clientes], index=indice[con_clientes], name="clientes"
    )
    resultado.attrs["periodo"] = {"M": "mes", "W": "semana", "Q": "trimestre"}[clave]
    resultado.attrs["inicio"] = " o ".join(_lista_eventos(inicio, "inicio"))
    return resultado


def _alguno(clientes: np.ndarray, mensaje: str, *, campo: str, pista: str) -> np.ndarray:
    """``clientes`` (who reached a step), or the error that says nobody did: a median or a cohort table of
    no customer is no figure, and saying why beats a NaN."""
    if not clientes.any():
        raise ErrorCurso(mensaje, campo=campo, pista=pista)
    return clientes


def _hay_evento(registro: _Registro, nombre: str) -> bool:
    posicion = registro._categorias.get_indexer(pd.Index([nombre]))[0]
    return bool(posicion >= 0 and (registro._codigos == posicion).any())


# --- reach by stage ------------------------------------------------------------------------------


def clientes_por_etapa(eventos: pd.DataFrame, mapeo: dict[str, str] | None = None) -> pd.DataFrame:
    """Cuántos clientes tienen al menos un evento en cada etapa del recorrido (modelo clásico).

    **Definición.** Cada evento pertenece a una etapa según :data:`cj_course.datos.EVENTO_A_ETAPA`
    (más ``mapeo`` para eventos propios). Un cliente alcanza una etapa si tiene algún evento de ella,
    sin exigir orden (para el orden estricto usa :func:`embudo`).
    **Devuelve** ``etapa`` (clave), ``nombre``, ``clientes`` y ``porcentaje`` (sobre todos los
    clientes con eventos, de 0 a 100).

    **Casos límite.** Un evento sin etapa conocida es un error con la lista de los que faltan.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"cliente_id": ["a", "a", "b"], "momento": pd.to_datetime(["2025-01-01"] * 3),
    ...                    "evento": ["visita_web", "compra", "visita_web"]})
    >>> clientes_por_etapa(ev)["clientes"].tolist()
    [2, 0, 0, 1, 0, 0]
    """
    from .datos.vocabulario import agregar_etapa

    registro = _preparar(eventos)
    # Each distinct event name is looked up once; the rows take their stage through the codes.
    presentes = np.unique(registro._codigos)
    nombres = pd.DataFrame({"evento": pd.Series(registro._categorias.astype(str), dtype="str")})
    etapas = agregar_etapa(nombres.iloc[presentes], mapeo)
    codigo_etapa = np.full(len(registro._categorias), -1)
    codigo_etapa[presentes] = etapas["etapa"].cat.codes.to_numpy()
    etapa_fila = codigo_etapa[registro._codigos]
    n_etapas = len(ETAPAS)
    alcanzada = np.zeros((registro.n_clientes, n_etapas), dtype=bool)
    alcanzada[registro.clientes, etapa_fila] = True
    activos = np.zeros(registro.n_clientes, dtype=bool)
    activos[registro.clientes] = True
    conteo = alcanzada.sum(axis=0)
    return pd.DataFrame(
        {
            "etapa": pd.Series([e.clave for e in ETAPAS], dtype="str"),
            "nombre": pd.Series([e.nombre for e in ETAPAS], dtype="str"),
            "clientes": conteo.astype(np.int64),
            "porcentaje": 100.0 * conteo / activos.sum(),
        }
    )


# --- surveys: NPS, CSAT, CES ---------------------------------------------------------------------


def validar_puntuaciones(valores: object, minimo: int, maximo: int, nombre: str) -> np.ndarray:
    """Las puntuaciones de una encuesta (columna ``puntuacion`` o una lista) como enteros de ``minimo`` a ``maximo``.

    >>> validar_puntuaciones([10, 7, 3], 0, 10, "NPS").tolist()
    [10, 7, 3]
    """
    if isinstance(valores, pd.DataFrame):
        if "puntuacion" not in valores.columns:
            raise ErrorCurso(
                f"La tabla no tiene la columna 'puntuacion'. Tiene: {', '.join(map(str, valores.columns))}.",
                campo="puntuacion",
                pista="Pasa la columna directamente, por ejemplo encuestas['nota'].",
            )
        valores = valores["puntuacion"]
    if isinstance(valores, str | bytes | dict) or not isinstance(valores, Iterable):
        raise ErrorCurso(
            f"Las puntuaciones de {nombre} deben ser una lista o columna de números, no {type(valores).__name__}.",
            campo="puntuacion",
            pista="Por ejemplo [10, 9, 7, 3] o encuestas['puntuacion'].",
        )
    serie = valores if isinstance(valores, pd.Series) else pd.Series(list(valores), dtype=object)
    if len(serie) == 0:
        raise ErrorCurso(
            f"No hay puntuaciones: el {nombre} necesita al menos una respuesta.",
            campo="puntuacion",
            pista="Revisa que la encuesta tenga respuestas (o el filtro aplicado).",
        )
    if serie.dtype == object:
        raras = [v for v in serie if isinstance(v, bool) or not (isinstance(v, Real) or v is None)]
        if raras:
            raise ErrorCurso(
                f"Hay puntuaciones que no son números, por ejemplo {raras[0]!r}.",
                campo="puntuacion",
                pista=f"Cada puntuación debe ser un número entero de {minimo} a {maximo}.",
            )
        serie = pd.to_numeric(serie)
    elif pd.api.types.is_bool_dtype(serie.dtype) or not pd.api.types.is_numeric_dtype(serie.dtype):
        raise ErrorCurso(
            f"Las puntuaciones deben ser números, pero son de tipo {serie.dtype}.",
            campo="puntuacion",
            pista="Conviértelas con pd.to_numeric o léelas con cj_course.datos.leer_encuestas.",
        )
    numeros = serie.to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(numeros).any():
        raise ErrorCurso(
            f"Hay {int(np.isnan(numeros).sum())} respuesta(s) sin puntuación.",
            campo="puntuacion",
            pista="Quita esas filas antes de calcular (por ejemplo con .dropna()), sabiendo que lo haces.",
        )
    fuera = (numeros < minimo) | (numeros > maximo) | (numeros != np.floor(numeros))
    if fuera.any():
        raise ErrorCurso(
            f"Hay puntuaciones fuera de la escala de {minimo} a {maximo} o con decimales, "
            f"por ejemplo {numeros[fuera][0]:g}.",
            campo="puntuacion",
            pista=f"El {nombre} usa números enteros de {minimo} a {maximo}: corrige o quita esas respuestas.",
        )
    return numeros.astype(np.int64)


def nps(puntuaciones: Iterable[int] | pd.Series | pd.DataFrame) -> float:
    """Net Promoter Score: porcentaje de promotores menos porcentaje de detractores.

    **Definición.** Con la pregunta «¿qué tan probable es que nos recomiendes?» (0 a 10): promotores
    puntúan 9 o 10, pasivos 7 u 8 y detractores de 0 a 6. NPS = %promotores − %detractores.
    **Unidad:** puntos de -100 (todos detractores) a 100 (todos promotores).

    **Casos límite.** Una puntuación vacía, con decimales o fuera de 0-10 es un error: no se
    descarta en silencio. Acepta una lista, una columna o una tabla con columna ``puntuacion``.

    >>> nps([10, 10, 9, 8, 7, 3, 9, 5])   # 4 promotores y 2 detractores de 8 respuestas
    25.0
    """
    valores = validar_puntuaciones(puntuaciones, 0, 10, "NPS")
    return 100.0 * (int((valores >= 9).sum()) - int((valores <= 6).sum())) / len(valores)


class IntervaloNPS(NamedTuple):
    """Intervalo de confianza del NPS, en puntos de -100 a 100."""

    inferior: float
    superior: float

    def __str__(self) -> str:
        return f"[{self.inferior:.1f}; {self.superior:.1f}]".replace(".", ",")


def nps_intervalo(
    puntuaciones: Iterable[int] | pd.Series | pd.DataFrame, confianza: float = 0.95
) -> IntervaloNPS:
    """Intervalo de confianza del NPS por el método de Wald ajustado.

    **Definición.** El NPS es una diferencia de dos proporciones de la misma muestra
    (promotores − detractores). El método de Wald ajustado (Rocks, 2016, *The American Statistician*;
    recomendado por Sauro y Lewis) suma 3 respuestas a la muestra, ¾ a los promotores y ¾ a los
    detractores, y usa el error estándar de la diferencia: con p̃ y d̃ las proporciones ajustadas y
    ñ = n + 3, el intervalo es (p̃ − d̃) ± z·√((p̃ + d̃ − (p̃ − d̃)²) / ñ). El cuantil z sale de
    :class:`statistics.NormalDist`. **Unidad:** puntos de NPS, recortados a [-100, 100].

    **Casos límite.** Funciona incluso con muy pocas respuestas (el ajuste evita intervalos de
    ancho 0 cuando todas son promotoras); ``confianza`` debe estar estrictamente entre 0 y 1.

    >>> intervalo = nps_intervalo([10] * 40 + [8] * 30 + [5] * 30)
    >>> round(intervalo.inferior, 1), round(intervalo.superior, 1)
    (-6.3, 25.7)
    >>> print(intervalo)
    [-6,3; 25,7]
    """
    if isinstance(confianza, bool) or not isinstance(confianza, Real) or not 0 < float(confianza) < 1:
        raise ErrorCurso(
            f"La confianza debe ser un número entre 0 y 1 (sin incluirlos), no {confianza!r}.",
            campo="confianza",
            pista="Por ejemplo 0.95 para un intervalo del 95 %.",
        )
    valores = validar_puntuaciones(puntuaciones, 0, 10, "NPS")
    n_ajustado = len(valores) + 3
    promotores = (int((valores >= 9).sum()) + 0.75) / n_ajustado
    detractores = (int((valores <= 6).sum()) + 0.75) / n_ajustado
    centro = promotores - detractores
    varianza = (promotores + detractores - centro**2) / n_ajustado
    z = NormalDist().inv_cdf(0.5 + float(confianza) / 2)
    margen = z * math.sqrt(varianza)
    return IntervaloNPS(max(-100.0, 100.0 * (centro - margen)), min(100.0, 100.0 * (centro + margen)))


def csat(puntuaciones: Iterable[int] | pd.Series, escala: int = 5, satisfechos_desde: int = 4) -> float:
    """Índice de satisfacción (CSAT): porcentaje de respuestas satisfechas.

    **Definición.** En una escala de 1 a ``escala`` (5 por omisión), cuentan como satisfechas las
    respuestas de ``satisfechos_desde`` (4) para arriba. **Unidad:** porcentaje, de 0 a 100.

    **Casos límite.** Puntuaciones vacías, con decimales o fuera de la escala son un error.

    >>> csat([5, 4, 4, 3, 1])
    60.0
    """
    if isinstance(escala, bool) or not isinstance(escala, int) or escala < 2:
        raise ErrorCurso(
            "La escala debe ser un entero de 2 o más.", campo="escala", pista="Por ejemplo escala=5."
        )
    if (
        isinstance(satisfechos_desde, bool)
        or not isinstance(satisfechos_desde, int)
        or not 1 <= satisfechos_desde <= escala
    ):
        raise ErrorCurso(
            f"'satisfechos_desde' debe ser un entero entre 1 y {escala}.",
            campo="satisfechos_desde",
            pista="En una escala de 1 a 5 se suele usar 4.",
        )
    valores = validar_puntuaciones(puntuaciones, 1, escala, "CSAT")
    return 100.0 * int((valores >= satisfechos_desde).sum()) / len(valores)


def ces(puntuaciones: Iterable[int] | pd.Series, escala: int = 7) -> float:
    """Customer Effort Score (CES): esfuerzo promedio que declara el cliente.

    **Definición.** Promedio de las respuestas a «¿qué tan fácil fue…?» en una escala de 1 (muy
    difícil) a ``escala`` (7 por omisión, muy fácil): cuanto más alto, menos esfuerzo.
    **Unidad:** puntos de la escala (de 1 a ``escala``).

    **Casos límite.** Puntuaciones vacías, con decimales o fuera de la escala son un error.

    >>> ces([7, 6, 5, 2])
    5.0
    """
    if isinstance(escala, bool) or not isinstance(escala, int) or escala < 2:
        raise ErrorCurso(
            "La escala debe ser un entero de 2 o más.", campo="escala", pista="Por ejemplo escala=7."
        )
    valores = validar_puntuaciones(puntuaciones, 1, escala, "CES")
    return float(valores.mean())


# --- inference by simulation: permutation test and bootstrap (the Data 8 way) -------------------

# Resamples are drawn in blocks of rows so that memory stays near this many numbers at a time,
# whatever the sample size: 10 000 repetitions of 2 000 customers never build a 20-million array.
_NUMEROS_POR_BLOQUE = 2_000_000


class PruebaPermutacion(NamedTuple):
    """Resultado de :func:`prueba_de_permutacion` (las diferencias, en las unidades de los datos)."""

    diferencia: float
    p_valor: float
    simuladas: np.ndarray

    def __str__(self) -> str:
        veces = len(self.simuladas)
        # p = 0 only means "rarer than 1 in this many shuffles": say so instead of a false zero.
        p = f"p < {_con_coma(1 / veces, 4)}" if self.p_valor == 0 else f"p = {_con_coma(self.p_valor, 4)}"
        # Thousands as in the course's figures: a narrow space from 10 000 on.
        cuantas = f"{veces:,}".replace(",", "\u202f") if veces >= 10_000 else str(veces)
        return f"diferencia observada {_con_coma(self.diferencia, 3)}; {p} con {cuantas} permutaciones"


class IntervaloBootstrap(NamedTuple):
    """Intervalo por bootstrap (:func:`intervalo_bootstrap`), con las estimaciones simuladas."""

    inferior: float
    superior: float
    estimaciones: np.ndarray

    def __str__(self) -> str:
        # Proportions (0 to 1) need three decimals; NPS points and pesos, one.
        decimales = 3 if max(abs(self.inferior), abs(self.superior)) < 1 else 1
        return f"[{_con_coma(self.inferior, decimales)}; {_con_coma(self.superior, decimales)}]"


def _con_coma(valor: float, decimales: int) -> str:
    return f"{valor:.{decimales}f}".replace(".", ",")


def _generador(semilla: object) -> np.random.Generator:
    if isinstance(semilla, np.random.Generator):
        return semilla
    if isinstance(semilla, bool) or not isinstance(semilla, int | np.integer) or semilla < 0:
        raise ErrorCurso(
            f"La semilla debe ser un entero de 0 o más (o un numpy.random.Generator), no {semilla!r}.",
            campo="semilla",
            pista="Por ejemplo semilla=2024: con la misma semilla la simulación da siempre lo mismo.",
        )
    return np.random.default_rng(int(semilla))


def _repeticiones(valor: object) -> int:
    if isinstance(valor, bool) or not isinstance(valor, int | np.integer) or valor < 100:
        raise ErrorCurso(
            f"Las repeticiones deben ser un entero de 100 o más, no {valor!r}.",
            campo="repeticiones",
            pista="Con 10 000 repeticiones el resultado apenas cambia de una semilla a otra.",
        )
    return int(valor)


def _muestra(valores: object, nombre: str) -> np.ndarray:
    """A sample as floats: a list, a column, or True/False values (which count as 1 and 0)."""
    if isinstance(valores, str | bytes | dict) or not isinstance(valores, Iterable):
        raise ErrorCurso(
            f"{nombre} debe ser una lista o columna de números (o de verdadero/falso), "
            f"no {type(valores).__name__}.",
            campo=nombre,
            pista="Por ejemplo [1, 0, 1, 1] (1 = volvió a comprar) o tabla['volvio'].",
        )
    if isinstance(valores, pd.Series | np.ndarray):
        serie = pd.Series(valores)
    else:
        serie = pd.Series(list(valores), dtype=object)
    if pd.api.types.is_bool_dtype(serie.dtype):
        serie = serie.astype("Int64")
    elif serie.dtype == object:
        raras = [v for v in serie if not (isinstance(v, Real | np.bool_) or v is None)]
        if raras:
            raise ErrorCurso(
                f"En {nombre} hay valores que no son números, por ejemplo {raras[0]!r}.",
                campo=nombre,
                pista="Usa números (el importe) o verdadero/falso (si volvió a comprar).",
            )
        serie = pd.to_numeric(serie.map(lambda v: int(v) if isinstance(v, bool | np.bool_) else v))
    elif not pd.api.types.is_numeric_dtype(serie.dtype):
        raise ErrorCurso(
            f"{nombre} debe tener números, pero es de tipo {serie.dtype}.",
            campo=nombre,
            pista="Conviértelo con pd.to_numeric, o compara para obtener verdadero/falso.",
        )
    numeros = serie.to_numpy(dtype=float, na_value=np.nan)
    if len(numeros) == 0:
        raise ErrorCurso(
            f"{nombre} está vacío: la simulación necesita al menos un valor en cada grupo.",
            campo=nombre,
            pista="Revisa el filtro con que armaste el grupo.",
        )
    if np.isnan(numeros).any():
        raise ErrorCurso(
            f"En {nombre} hay {int(np.isnan(numeros).sum())} valor(es) vacío(s).",
            campo=nombre,
            pista="Quita esas filas antes (por ejemplo con .dropna()), sabiendo que lo haces.",
        )
    return numeros


def prueba_de_permutacion(
    grupo_a: Iterable[float] | pd.Series,
    grupo_b: Iterable[float] | pd.Series,
    repeticiones: int = 10_000,
    semilla: int | np.random.Generator = 0,
    alternativa: str = "distinta",
) -> PruebaPermutacion:
    """¿Es real la diferencia de promedios entre dos grupos, o podría ser azar? Prueba de permutación.

    **Idea.** Si el grupo no importara (hipótesis nula), las etiquetas «A» y «B» serían
    intercambiables. La prueba las baraja ``repeticiones`` veces, recalcula cada vez la diferencia
    de promedios (A − B) y cuenta qué fracción de esas diferencias «por azar» es al menos tan
    extrema como la observada: ese es el **p-valor**. Con valores 0/1 (volvió a comprar o no), el
    promedio es una proporción. ``alternativa``: ``"distinta"`` (dos colas, por omisión), ``"mayor"``
    (A > B) o ``"menor"`` (A < B). **Unidad:** la diferencia, en las unidades de los datos (una
    proporción de 0 a 1 con datos 0/1); el p-valor, de 0 a 1.

    **Casos límite.** Acepta listas, columnas o verdadero/falso; un grupo vacío o con valores que
    no son números es un error. Con la misma ``semilla`` el resultado es siempre el mismo.

    >>> prueba = prueba_de_permutacion([1] * 42 + [0] * 58, [1] * 23 + [0] * 77, semilla=1)
    >>> round(prueba.diferencia, 2), prueba.p_valor < 0.01
    (0.19, True)
    >>> prueba_de_permutacion([1, 0, 1, 0], [0, 1, 0, 1], semilla=1).p_valor
    1.0
    """
    a = _muestra(grupo_a, "grupo_a")
    b = _muestra(grupo_b, "grupo_b")
    repeticiones = _repeticiones(repeticiones)
    if alternativa not in ("distinta", "mayor", "menor"):
        raise ErrorCurso(
            f"La alternativa {alternativa!r} no existe.",
            campo="alternativa",
            pista="Usa 'distinta' (dos colas), 'mayor' (A > B) o 'menor' (A < B).",
        )
    azar = _generador(semilla)
    juntos = np.concatenate([a, b])
    total, n_a, n_b = juntos.sum(), len(a), len(b)
    observada = a.mean() - b.mean()
    bloque = max(1, _NUMEROS_POR_BLOQUE // len(juntos))
    simuladas = np.empty(repeticiones)
    for desde in range(0, repeticiones, bloque):
        filas = min(bloque, repeticiones - desde)
        # Each row is one shuffle of the labels: the first n_a values play group A.
        barajadas = azar.permuted(np.broadcast_to(juntos, (filas, len(juntos))), axis=1)
        suma_a = barajadas[:, :n_a].sum(axis=1)
        simuladas[desde : desde + filas] = suma_a / n_a - (total - suma_a) / n_b
    # A tiny tolerance keeps shuffles that equal the observed difference up to rounding as "as extreme".
    tolerancia = 1e-9 * max(1.0, abs(observada))
    if alternativa == "mayor":
        extremas = simuladas >= observada - tolerancia
    elif alternativa == "menor":
        extremas = simuladas <= observada + tolerancia
    else:
        extremas = np.abs(simuladas) >= abs(observada) - tolerancia
    return PruebaPermutacion(float(observada), float(extremas.mean()), simuladas)


def _estadistico(estadistico: object):
    """The statistic as a function of a 2-D array (one resample per row) returning one value per row."""
    if estadistico == "media":
        return lambda m: m.mean(axis=1)
    if estadistico == "mediana":
        return lambda m: np.median(m, axis=1)
    if estadistico == "nps":
        return lambda m: 100.0 * ((m >= 9).mean(axis=1) - (m <= 6).mean(axis=1))
    if callable(estadistico):
        return estadistico
    raise ErrorCurso(
        f"El estadístico {estadistico!r} no existe.",
        campo="estadistico",
        pista="Usa 'media', 'mediana', 'nps' o una función que reciba una matriz (una remuestra por "
        "fila) y devuelva un valor por fila, como lambda m: m.mean(axis=1).",
    )


def intervalo_bootstrap(
    valores: Iterable[float] | pd.Series,
    estadistico: str = "media",
    confianza: float = 0.95,
    repeticiones: int = 10_000,
    semilla: int | np.random.Generator = 0,
) -> IntervaloBootstrap:
    """Intervalo de confianza por bootstrap: remuestrear la muestra para ver cuánto podría variar.

    **Idea.** La muestra es lo mejor que sabemos de la población, así que se sacan de ella
    ``repeticiones`` muestras nuevas **del mismo tamaño y con reemplazo**, se calcula el
    estadístico en cada una y el intervalo va del percentil (1 − confianza)/2 al (1 + confianza)/2
    de esas estimaciones (el método de percentiles). ``estadistico``: ``"media"`` (con 0/1, una
    proporción), ``"mediana"``, ``"nps"`` (puntuaciones de 0 a 10) o una función que reciba una
    matriz con una remuestra por fila y devuelva un valor por fila. **Unidad:** la del estadístico.

    **Casos límite.** Muestra vacía o sin números, ``confianza`` fuera de (0, 1) o menos de 100
    repeticiones son un error; con ``"nps"`` las puntuaciones se validan como en :func:`nps`.

    >>> intervalo = intervalo_bootstrap([10] * 40 + [8] * 30 + [5] * 30, "nps", semilla=3)
    >>> -8 < intervalo.inferior < -4 and 24 < intervalo.superior < 28
    True
    >>> print(intervalo_bootstrap([7, 7, 7], semilla=3))
    [7,0; 7,0]
    """
    if isinstance(confianza, bool) or not isinstance(confianza, Real) or not 0 < float(confianza) < 1:
        raise ErrorCurso(
            f"La confianza debe ser un número entre 0 y 1 (sin incluirlos), no {confianza!r}.",
            campo="confianza",
            pista="Por ejemplo 0.95 para un intervalo del 95 %.",
        )
    calcular = _estadistico(estadistico)
    if estadistico == "nps":
        muestra = validar_puntuaciones(valores, 0, 10, "NPS").astype(float)
    else:
        muestra = _muestra(valores, "valores")
    repeticiones = _repeticiones(repeticiones)
    azar = _generador(semilla)
    n = len(muestra)
    bloque = max(1, _NUMEROS_POR_BLOQUE // n)
    estimaciones = np.empty(repeticiones)
    for desde in range(0, repeticiones, bloque):
        filas = min(bloque, repeticiones - desde)
        remuestras = muestra[azar.integers(0, n, size=(filas, n))]
        estimaciones[desde : desde + filas] = np.asarray(calcular(remuestras), dtype=float)
    cola = (1 - float(confianza)) / 2
    inferior, superior = np.quantile(estimaciones, [cola, 1 - cola])
    return IntervaloBootstrap(float(inferior), float(superior), estimaciones)


def intervalo_bootstrap_diferencia(
    grupo_a: Iterable[float] | pd.Series,
    grupo_b: Iterable[float] | pd.Series,
    confianza: float = 0.95,
    repeticiones: int = 10_000,
    semilla: int | np.random.Generator = 0,
) -> IntervaloBootstrap:
    """Intervalo por bootstrap de la diferencia de promedios A − B (con 0/1, de proporciones).

    **Idea.** Cada grupo se remuestrea por su cuenta, con reemplazo y con su tamaño, y en cada
    repetición se resta el promedio de B al de A; el intervalo son los percentiles centrales de esas
    diferencias. Si no incluye el 0, la diferencia es real con esa confianza; si lo incluye, los datos
    son compatibles con que no haya diferencia (lo que **no** prueba que los grupos sean iguales).
    **Unidad:** la de los datos (una proporción de 0 a 1 con datos 0/1).

    >>> intervalo = intervalo_bootstrap_diferencia([1] * 42 + [0] * 58, [1] * 23 + [0] * 77, semilla=5)
    >>> 0.05 < intervalo.inferior < intervalo.superior < 0.33
    True
    """
    a = _muestra(grupo_a, "grupo_a")
    b = _muestra(grupo_b, "grupo_b")
    # One generator for both groups: group B's draws continue A's stream, so one seed fixes both.
    azar = _generador(semilla)
    en_a = intervalo_bootstrap(a, "media", confianza, repeticiones, azar)
    en_b = intervalo_bootstrap(b, "media", confianza, repeticiones, azar)
    diferencias = en_a.estimaciones - en_b.estimaciones
    cola = (1 - float(confianza)) / 2
    inferior, superior = np.quantile(diferencias, [cola, 1 - cola])
    return IntervaloBootstrap(float(inferior), float(superior), diferencias)

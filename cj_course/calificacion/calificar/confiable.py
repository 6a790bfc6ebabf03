"""Las comprobaciones, fuera del alcance del estudiante: las celdas de prueba de la fuente, ejecutadas por el
calificador con las respuestas del estudiante convertidas en datos.

El núcleo del estudiante (aislado) solo *produce respuestas*: antes de cada celda de prueba exporta los
nombres que asignan las celdas de solución (``persona``, ``mapa``...) como datos JSON y llama a sus
funciones con los argumentos que el calificador preparó (:mod:`cj_course.calificacion.arnes`). Aquí, en
el proceso del calificador:

1. :func:`preparar` lee el cuaderno fuente (``solutions/``), ejecuta la solución una vez y anota con qué
   argumentos llama cada celda de prueba a cada función de respuesta (y comprueba que la solución saca
   todos los puntos);
2. :func:`evaluar` vuelve a ejecutar, para cada entrega, las celdas fijas del cuaderno (preparación,
   formularios) y cada celda de prueba completa (visible y oculta) con builtins y ``cj_course`` de
   verdad, donde cada respuesta es un objeto reconstruido por el curso a partir de los datos exportados
   (nunca un objeto del estudiante: ni su ``__eq__``, ni sus builtins, ni su formateador), y cada función
   es una :class:`RespuestaFuncion` que devuelve lo que la del estudiante devolvió con esos argumentos.
   El crédito parcial es el valor numérico de la última expresión, calculado aquí.

>>> desde_datos({"t": "list", "v": [{"t": "int", "v": 3}, {"t": "str", "v": "a"}]})
[3, 'a']
>>> type(desde_datos({"t": "otro", "clase": "x.Trampa", "repr": "..."})).__name__
'ValorDelEstudiante'
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import hashlib
import io
import json
import math
import pickle
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

_SIN_VALOR = object()


@dataclass(frozen=True)
class Celda:
    """Una celda de código del cuaderno fuente y su papel."""

    indice: int
    tipo: str  # "fija" (preparación, formularios...), "solucion" o "prueba"
    fuente: str
    grade_id: str | None = None
    puntos: float = 0.0


@dataclass
class Veredicto:
    """El resultado de confianza de una celda de prueba."""

    grade_id: str
    puntos: float
    maximo: float
    salida: str = ""
    error: str | None = None

    @property
    def completo(self) -> bool:
        return self.error is None and math.isclose(self.puntos, self.maximo)


@dataclass
class Especificacion:
    """Lo que el calificador sabe de un cuaderno de la tarea, preparado una vez por trabajador."""

    tarea: str
    cuaderno: str
    celdas: list[Celda]
    valores: list[str]
    funciones: list[str]
    llamadas: dict[str, dict[str, list[bytes]]] = field(default_factory=dict)
    avisos: list[str] = field(default_factory=list)

    def huellas(self, grade_id: str, funcion: str) -> list[str]:
        return [huella(b) for b in self.llamadas.get(grade_id, {}).get(funcion, [])]

    def escribir_llamadas(self, carpeta: Path) -> None:
        """Los argumentos de cada llamada, como los leerá el arnés dentro de la caja."""
        for grade_id, por_funcion in self.llamadas.items():
            for funcion, llamadas in por_funcion.items():
                destino = carpeta / grade_id / f"{funcion}.pickle"
                destino.parent.mkdir(parents=True, exist_ok=True)
                destino.write_bytes(pickle.dumps([pickle.loads(b) for b in llamadas], protocol=4))


def huella(datos: bytes) -> str:
    return hashlib.sha256(datos).hexdigest()


def _nombres_asignados(fuente: str) -> tuple[list[str], list[str]]:
    """Los nombres que asigna una celda de solución (valores) y las funciones que define."""
    try:
        arbol = ast.parse(fuente)
    except SyntaxError:
        return [], []
    valores: list[str] = []
    funciones: list[str] = []
    for nodo in arbol.body:
        if isinstance(nodo, ast.FunctionDef | ast.AsyncFunctionDef):
            funciones.append(nodo.name)
        elif isinstance(nodo, ast.Assign | ast.AnnAssign | ast.AugAssign):
            objetivos = nodo.targets if isinstance(nodo, ast.Assign) else [nodo.target]
            for objetivo in objetivos:
                valores.extend(n.id for n in ast.walk(objetivo) if isinstance(n, ast.Name))
    return valores, funciones


def celdas_del_cuaderno(nb: Any) -> list[Celda]:
    """Las celdas de código del cuaderno fuente, con su papel."""
    celdas = []
    for indice, celda in enumerate(nb.cells):
        if celda.cell_type != "code":
            continue
        meta = celda.metadata.get("nbgrader", {})
        if meta.get("solution"):
            tipo = "solucion"
        elif meta.get("grade"):
            tipo = "prueba"
        else:
            tipo = "fija"
        celdas.append(
            Celda(indice, tipo, celda.source, meta.get("grade_id"), float(meta.get("points", 0) or 0))
        )
    return celdas


class _Grabadora:
    """La función de la solución, que anota los argumentos de cada llamada."""

    def __init__(self, funcion: Any, registro: list[bytes]) -> None:
        self.funcion = funcion
        self.registro = registro

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.registro.append(pickle.dumps((args, kwargs), protocol=4))
        return self.funcion(*args, **kwargs)


def _ejecutar(fuente: str, espacio: dict[str, Any], nombre: str) -> Any:
    """Ejecuta una celda; devuelve el valor de su última expresión (o ``_SIN_VALOR``)."""
    arbol = ast.parse(fuente, filename=nombre)
    ultima = arbol.body[-1] if arbol.body and isinstance(arbol.body[-1], ast.Expr) else None
    if ultima is not None:
        arbol.body = arbol.body[:-1]
    exec(compile(arbol, nombre, "exec"), espacio)
    if ultima is None:
        return _SIN_VALOR
    return eval(compile(ast.Expression(ultima.value), nombre, "eval"), espacio)


def _es_numero(valor: Any) -> bool:
    import numbers

    return isinstance(valor, numbers.Real) and not isinstance(valor, bool)


def _explicar(error: BaseException, espacio: dict[str, Any], nombres: list[str]) -> str:
    ilegibles = [
        f"Tu respuesta «{n}» no es válida: {espacio[n].mensaje}"
        for n in nombres
        if isinstance(espacio.get(n), RespuestaNoValida)
    ]
    if ilegibles:
        return " ".join(ilegibles)
    if isinstance(error, NameError) and getattr(error, "name", None) in nombres:
        return (
            f"Falta «{error.name}»: ejecuta la celda de tu respuesta antes de esta comprobación "
            "(y no la borres)."
        )
    mensaje = str(error).strip()
    if isinstance(error, AssertionError) and mensaje:
        return mensaje
    return f"{type(error).__name__}: {mensaje}" if mensaje else type(error).__name__


def _veredicto(celda: Celda, espacio: dict[str, Any], nombres: list[str]) -> Veredicto:
    salida = io.StringIO()
    grade_id = celda.grade_id or f"celda {celda.indice + 1}"
    try:
        with contextlib.redirect_stdout(salida), contextlib.redirect_stderr(io.StringIO()):
            valor = _ejecutar(celda.fuente, espacio, f"<prueba {grade_id}>")
    except Exception as e:
        return Veredicto(grade_id, 0.0, celda.puntos, salida.getvalue(), _explicar(e, espacio, nombres))
    puntos = celda.puntos
    if valor is not _SIN_VALOR and _es_numero(valor):
        numero = float(valor)
        puntos = 0.0 if math.isnan(numero) else min(max(numero, 0.0), celda.puntos)
    return Veredicto(grade_id, puntos, celda.puntos, salida.getvalue())


@contextlib.contextmanager
def _en_calma(carpeta: Path) -> Any:
    """La carpeta de trabajo y sin avisos de bibliotecas, solo mientras se evalúa."""
    with contextlib.chdir(carpeta), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            yield
        finally:
            try:
                import matplotlib.pyplot as plt

                plt.close("all")
            except Exception:  # matplotlib not in use
                pass


def _espacio() -> dict[str, Any]:
    return {"__name__": "__main__", "__builtins__": builtins}


def preparar(ruta_fuente: Path, tarea: str) -> Especificacion:
    """Lee el cuaderno fuente, ejecuta su solución y anota las llamadas de cada prueba a cada función."""
    nb = nbformat.read(str(ruta_fuente), as_version=4)
    celdas = celdas_del_cuaderno(nb)
    valores: list[str] = []
    funciones: list[str] = []
    for celda in celdas:
        if celda.tipo == "solucion":
            v, f = _nombres_asignados(celda.fuente)
            valores += [n for n in v if n not in valores]
            funciones += [n for n in f if n not in funciones]
    valores = [n for n in valores if n not in funciones]
    espec = Especificacion(tarea, ruta_fuente.stem, celdas, valores, funciones)
    espacio = _espacio()
    with tempfile.TemporaryDirectory(prefix="cj-solucion-") as vacia, _en_calma(Path(vacia)):
        for celda in celdas:
            if celda.tipo != "prueba":
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        _ejecutar(celda.fuente, espacio, f"<celda {celda.indice + 1}>")
                except Exception as e:
                    espec.avisos.append(f"La celda {celda.indice + 1} de la solución de {tarea} falla: {e}")
                continue
            assert celda.grade_id is not None
            reales = {f: espacio[f] for f in funciones if f in espacio}
            registro = espec.llamadas.setdefault(celda.grade_id, {})
            for nombre, real in reales.items():
                espacio[nombre] = _Grabadora(real, registro.setdefault(nombre, []))
            veredicto = _veredicto(celda, espacio, valores + funciones)
            espacio.update(reales)
            espec.llamadas[celda.grade_id] = {n: v for n, v in registro.items() if v}
            if not veredicto.completo:
                espec.avisos.append(
                    f"La solución de {tarea} no saca todos los puntos en «{celda.grade_id}» "
                    f"({veredicto.puntos:g}/{veredicto.maximo:g}): {veredicto.error or ''}"
                )
    return espec


# --------------------------------------------------------------------------- answers as data


class ValorDelEstudiante:
    """Un valor que el núcleo del estudiante no pudo dar como datos simples (un objeto propio, un DataFrame...)."""

    def __init__(self, clase: str, representacion: str) -> None:
        self.clase = clase
        self.representacion = representacion

    def __repr__(self) -> str:
        return f"<{self.clase}: {self.representacion}>"


class RespuestaNoValida:
    """Una respuesta con forma de objeto del curso que el curso no acepta (se explica en la prueba)."""

    def __init__(self, mensaje: str) -> None:
        self.mensaje = mensaje

    def __repr__(self) -> str:
        return f"<respuesta no válida: {self.mensaje}>"


def _numero_json(valor: Any) -> float:
    if isinstance(valor, str) and valor in ("nan", "inf", "-inf"):
        return float(valor)
    if isinstance(valor, int | float) and not isinstance(valor, bool):
        return float(valor)
    raise ValueError("número mal formado")


def desde_datos(dato: Any) -> Any:
    """Reconstruye, con tipos del curso y de Python, un valor exportado por :func:`arnes.a_datos`."""
    try:
        return _desde_datos(dato)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return ValorDelEstudiante("dato mal formado", "")


def _desde_datos(dato: Any) -> Any:
    if not isinstance(dato, dict):
        raise ValueError("dato mal formado")
    tipo, v = dato.get("t"), dato.get("v")
    if tipo == "none":
        return None
    if tipo == "bool" and isinstance(v, bool):
        return v
    if tipo == "int" and isinstance(v, int) and not isinstance(v, bool):
        return v
    if tipo == "float":
        return _numero_json(v)
    if tipo == "str" and isinstance(v, str):
        return v
    if tipo in ("list", "tuple", "set", "frozenset") and isinstance(v, list):
        elementos = [_desde_datos(e) for e in v]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[tipo](elementos)
    if tipo == "dict" and isinstance(v, list):
        return {_desde_datos(k): _desde_datos(x) for k, x in v}
    if tipo == "modelo":
        from ..._errores import ErrorCurso
        from ...modelo import desde_json

        try:
            return desde_json(json.dumps(v))
        except ErrorCurso as e:
            return RespuestaNoValida(str(e))
    if tipo == "numpy":
        import numpy as np

        dtype = np.dtype(str(dato.get("dtype")))
        if dtype.kind not in "biuf":
            raise ValueError("tipo de numpy no admitido")
        return dtype.type(_numero_json(v) if dtype.kind == "f" else v)
    if tipo == "otro":
        return ValorDelEstudiante(str(dato.get("clase"))[:200], str(dato.get("repr"))[:300])
    raise ValueError("dato mal formado")


_ERRORES_CONOCIDOS = {
    e.__name__: e
    for e in (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        ZeroDivisionError,
        AttributeError,
        NameError,
        AssertionError,
        RuntimeError,
    )
}


class RespuestaFuncion:
    """Ocupa el lugar de la función del estudiante en las pruebas: devuelve lo que ella devolvió, en la caja,
    con estos mismos argumentos (y lo comprueba)."""

    def __init__(self, nombre: str, huellas: list[str], resultados: dict[int, Any]) -> None:
        self.__name__ = nombre
        self.nombre = nombre
        self.huellas = huellas
        self.resultados = resultados
        self.llamadas = 0

    def __repr__(self) -> str:
        return f"<función {self.nombre} del estudiante>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        numero = self.llamadas
        self.llamadas += 1
        if (
            numero >= len(self.huellas)
            or huella(pickle.dumps((args, kwargs), protocol=4)) != self.huellas[numero]
        ):
            raise AssertionError(
                f"No se pudo comprobar {self.nombre}: la prueba la llamó de una forma que el "
                "calificador no preparó. Avisa a tu instructor."
            )
        resultado = self.resultados.get(numero)
        if not isinstance(resultado, dict):
            raise AssertionError(
                f"Tu función {self.nombre} no terminó a tiempo con los datos de la prueba "
                "(¿un bucle que no acaba, o el cuaderno se detuvo antes?)."
            )
        if resultado.get("vigilado") is False:
            raise AssertionError(
                f"Tu función {self.nombre} cambia la vigilancia de Python (sys.setprofile): "
                "así no se puede comprobar. Quita ese código."
            )
        usadas = [str(m) for m in resultado.get("metricas", [])]
        if usadas:
            raise AssertionError(
                f"Tu función {self.nombre} usa {', '.join(f'cj_course.metricas.{m}' for m in usadas)}: en este "
                "ejercicio se pide que lo calcules tú, paso a paso, con pandas."
            )
        tipo = resultado.get("t")
        mensaje = str(resultado.get("mensaje", ""))[:500]
        if tipo == "sin_hacer":
            raise NotImplementedError(mensaje or f"Todavía no escribiste la función {self.nombre}.")
        if tipo == "error":
            clase = _ERRORES_CONOCIDOS.get(str(resultado.get("clase")), RuntimeError)
            raise clase(f"Tu función {self.nombre} dio un error: {resultado.get('clase')}: {mensaje}")
        return desde_datos(resultado)


@dataclass
class Exportacion:
    """Lo que el núcleo exportó antes de una celda de prueba."""

    valores: dict[str, Any] = field(default_factory=dict)
    presentes: dict[str, bool] = field(default_factory=dict)
    resultados: dict[str, dict[int, Any]] = field(default_factory=dict)


def leer_exportaciones(mensajes: list[Any]) -> dict[str, Exportacion]:
    """Ordena lo que publicaron las celdas del arnés, por celda de prueba (lo mal formado se ignora)."""
    exportaciones: dict[str, Exportacion] = {}
    for mensaje in mensajes:
        if not isinstance(mensaje, dict) or not isinstance(mensaje.get("prueba"), str):
            continue
        nombre = mensaje.get("nombre")
        if not isinstance(nombre, str):
            continue
        exp = exportaciones.setdefault(mensaje["prueba"], Exportacion())
        if "valor" in mensaje:
            exp.valores[nombre] = mensaje["valor"]
        elif "presente" in mensaje:
            exp.presentes[nombre] = mensaje["presente"] is True
        elif isinstance(mensaje.get("llamada"), int) and "resultado" in mensaje:
            exp.resultados.setdefault(nombre, {})[mensaje["llamada"]] = mensaje["resultado"]
    return exportaciones


def evaluar(
    espec: Especificacion, exportaciones: dict[str, Exportacion], carpeta: Path, prueba_de: str
) -> dict[str, Veredicto]:
    """Los veredictos de confianza de cada celda de prueba para una entrega.

    ``carpeta`` es una copia de la entrega (los formularios leen de ella las respuestas guardadas);
    ``prueba_de`` explica por qué falta la exportación de una prueba (el cuaderno se detuvo antes).
    """
    veredictos: dict[str, Veredicto] = {}
    espacio = _espacio()
    nombres = espec.valores + espec.funciones
    with _en_calma(carpeta):
        for celda in espec.celdas:
            if celda.tipo == "fija":
                try:
                    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                        _ejecutar(celda.fuente, espacio, f"<celda {celda.indice + 1}>")
                except Exception:  # the same failure shows in the student's own run
                    pass
                continue
            if celda.tipo != "prueba" or celda.grade_id is None:
                continue
            exp = exportaciones.get(celda.grade_id)
            if exp is None:
                veredictos[celda.grade_id] = Veredicto(celda.grade_id, 0.0, celda.puntos, "", prueba_de)
                continue
            for nombre in nombres:
                espacio.pop(nombre, None)
            for nombre, dato in exp.valores.items():
                if nombre in espec.valores:
                    espacio[nombre] = desde_datos(dato)
            for nombre in espec.funciones:
                if exp.presentes.get(nombre):
                    espacio[nombre] = RespuestaFuncion(
                        nombre, espec.huellas(celda.grade_id, nombre), exp.resultados.get(nombre, {})
                    )
            veredictos[celda.grade_id] = _veredicto(celda, espacio, nombres)
    return veredictos


__all__ = [
    "Celda",
    "Especificacion",
    "Exportacion",
    "RespuestaFuncion",
    "RespuestaNoValida",
    "ValorDelEstudiante",
    "Veredicto",
    "celdas_del_cuaderno",
    "desde_datos",
    "evaluar",
    "leer_exportaciones",
    "preparar",
]

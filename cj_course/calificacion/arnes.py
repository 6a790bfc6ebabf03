"""Lo que el calificador ejecuta dentro del núcleo aislado del estudiante: exportar sus respuestas como datos.

Antes de cada celda de prueba, una celda del calificador llama a :func:`exportar`: cada respuesta
(los nombres que asignan las celdas de solución) sale del núcleo como JSON simple, y cada función del
estudiante se llama con los argumentos que el calificador preparó y se exporta lo que devolvió. Todo
viaja como salidas del núcleo con el tipo MIME :data:`MIME`; los puntos los decide el calificador fuera.

Este módulo corre en un núcleo que el estudiante controla: nada de lo que calcule aquí es de fiar, y
no necesita serlo (ver :mod:`cj_course.calificacion.calificar.confiable`). No importa nbgrader.

>>> a_datos([1, 2.5, "tres", None])
{'t': 'list', 'v': [{'t': 'int', 'v': 1}, {'t': 'float', 'v': 2.5}, {'t': 'str', 'v': 'tres'}, {'t': 'none'}]}
"""

from __future__ import annotations

import math
import pickle
import sys
from pathlib import Path
from typing import Any

MIME = "application/vnd.cj-course.exportacion+json"
_PROFUNDIDAD = 12
_ELEMENTOS = 20_000
_TEXTO = 200_000


class _Demasiado(Exception):
    pass


def a_datos(valor: Any, profundidad: int = 0, cuenta: list[int] | None = None) -> dict[str, Any]:
    """``valor`` como datos JSON con su tipo (los tipos desconocidos, como ``otro`` con su nombre)."""
    cuenta = cuenta if cuenta is not None else [0]
    cuenta[0] += 1
    if cuenta[0] > _ELEMENTOS or profundidad > _PROFUNDIDAD:
        raise _Demasiado
    tipo = type(valor)
    if valor is None:
        return {"t": "none"}
    if tipo is bool:
        return {"t": "bool", "v": valor}
    if tipo is int:
        return {"t": "int", "v": valor} if abs(valor) < 2**63 else {"t": "float", "v": str(float(valor))}
    if tipo is float:
        return {"t": "float", "v": valor if math.isfinite(valor) else str(valor)}
    if tipo is str:
        return {"t": "str", "v": valor[:_TEXTO]}
    if tipo in (list, tuple, set, frozenset):
        elementos = sorted(valor, key=repr) if tipo in (set, frozenset) else valor
        return {"t": tipo.__name__, "v": [a_datos(v, profundidad + 1, cuenta) for v in elementos]}
    if tipo is dict:
        return {
            "t": "dict",
            "v": [
                [a_datos(k, profundidad + 1, cuenta), a_datos(v, profundidad + 1, cuenta)]
                for k, v in valor.items()
            ],
        }
    modulo = getattr(tipo, "__module__", "")
    if modulo == "cj_course.modelo" and hasattr(valor, "a_dict"):
        return {"t": "modelo", "v": valor.a_dict()}
    if modulo == "numpy" and hasattr(valor, "dtype") and getattr(valor, "shape", None) == ():
        dato = valor.item()
        if isinstance(dato, float) and not math.isfinite(dato):
            dato = str(dato)
        return {"t": "numpy", "dtype": str(valor.dtype), "v": dato}
    return {"t": "otro", "clase": f"{modulo}.{tipo.__qualname__}", "repr": _repr_corto(valor)}


def _repr_corto(valor: Any) -> str:
    try:
        return repr(valor)[:300]
    except Exception:
        return "(sin representación)"


def _publicar(contenido: dict[str, Any]) -> None:
    from IPython.display import display

    display({MIME: contenido}, raw=True)


class _Vigia:
    """Anota qué funciones públicas de ``cj_course.metricas`` se llaman mientras corre una función del estudiante."""

    def __init__(self) -> None:
        import inspect

        import cj_course.metricas as metricas

        self.codigos = {
            f.__code__: nombre
            for nombre, f in vars(metricas).items()
            if not nombre.startswith("_") and inspect.isfunction(f) and f.__module__ == metricas.__name__
        }
        self.vistas: set[str] = set()

    def __call__(self, frame: Any, evento: str, arg: Any) -> None:
        if evento == "call" and frame.f_code in self.codigos:
            self.vistas.add(self.codigos[frame.f_code])


def _llamar(funcion: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    vigia = _Vigia()
    anterior = sys.getprofile()
    sys.setprofile(vigia)
    try:
        resultado = funcion(*args, **kwargs)
    except NotImplementedError as e:
        salida: dict[str, Any] = {"t": "sin_hacer", "mensaje": str(e)[:500]}
    except Exception as e:
        salida = {"t": "error", "clase": type(e).__name__, "mensaje": str(e)[:500]}
    else:
        try:
            salida = a_datos(resultado)
        except _Demasiado:
            salida = {"t": "otro", "clase": "demasiado grande", "repr": ""}
    finally:
        intacto = sys.getprofile() is vigia
        sys.setprofile(anterior)
    salida["metricas"] = sorted(vigia.vistas)
    salida["vigilado"] = intacto
    return salida


def exportar(prueba: str, valores: list[str], funciones: list[str], entrada: str) -> None:
    """Exporta, para la prueba ``prueba``, las respuestas ``valores`` y las llamadas a ``funciones``."""
    try:
        from IPython import get_ipython

        espacio = get_ipython().user_ns
    except (ImportError, AttributeError):
        espacio = sys.modules["__main__"].__dict__
    for nombre in valores:
        if nombre not in espacio:
            continue
        try:
            dato = a_datos(espacio[nombre])
        except _Demasiado:
            dato = {"t": "otro", "clase": "demasiado grande", "repr": ""}
        except Exception as e:  # a student's object that fails even to describe itself
            dato = {"t": "otro", "clase": type(e).__name__, "repr": ""}
        _publicar({"prueba": prueba, "nombre": nombre, "valor": dato})
    for nombre in funciones:
        presente = nombre in espacio and callable(espacio[nombre])
        _publicar({"prueba": prueba, "nombre": nombre, "presente": presente})
        archivo = Path(entrada) / prueba / f"{nombre}.pickle"
        if not presente or not archivo.is_file():
            continue
        with archivo.open("rb") as f:
            llamadas = pickle.load(f)
        for numero, (args, kwargs) in enumerate(llamadas):
            _publicar(
                {
                    "prueba": prueba,
                    "nombre": nombre,
                    "llamada": numero,
                    "resultado": _llamar(espacio[nombre], args, kwargs),
                }
            )

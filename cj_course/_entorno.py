"""Cambiar una variable de entorno solo mientras dura un bloque (y dejarla como estaba al salir).

>>> import os
>>> with variable_de_entorno("CJ_PRUEBA_DOCTEST", "sí"):
...     os.environ["CJ_PRUEBA_DOCTEST"]
'sí'
>>> "CJ_PRUEBA_DOCTEST" in os.environ
False
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


@contextlib.contextmanager
def variable_de_entorno(nombre: str, valor: str) -> Iterator[None]:
    """``os.environ[nombre] = valor`` dentro del ``with``; al salir, el valor de antes (o ninguno)."""
    anterior = os.environ.get(nombre)
    os.environ[nombre] = valor
    try:
        yield
    finally:
        if anterior is None:
            os.environ.pop(nombre, None)
        else:
            os.environ[nombre] = anterior

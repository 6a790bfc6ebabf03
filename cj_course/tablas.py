"""Tablas con los números como en las figuras: coma decimal, espacio fino de miles y redondeo sensato.

``85.165230`` en una tabla de pandas se lee como un error de un programa; ``85,2 %`` se lee como un
dato. :func:`activar_formato_de_tablas` (la celda de preparación de los ejercicios la llama) hace que
cada ``DataFrame`` que el cuaderno muestra use :func:`cj_course.graficos.numero`. Solo cambia cómo se
*ve* la tabla: los datos y los cálculos no se tocan.

>>> import pandas as pd
>>> t = pd.DataFrame({"paso": ["visita", "compra"], "clientes": [16704, 3269],
...                   "conversion_total": [100.0, 19.570163]})
>>> formatos_de_columnas(t)
{'clientes': 'entero', 'conversion_total': 'porcentaje'}
>>> "19,6 %" in tabla_html(t) and "16\u202f704" in tabla_html(t)
True
"""

from __future__ import annotations

import re
from typing import Any

from .graficos import numero

# Column names that hold percentages (0 to 100) in the course's tables.
_PORCENTAJE = re.compile(r"conversion|tasa|retencion|churn|abandono|porcentaje|pct|%", re.IGNORECASE)


def formatos_de_columnas(tabla: Any) -> dict[Any, str]:
    """Columna numérica -> ``"entero"``, ``"porcentaje"`` o ``"decimal"`` (las demás no se tocan)."""
    import pandas as pd

    formatos = {}
    for columna in tabla.columns:
        serie = tabla[columna]
        if pd.api.types.is_bool_dtype(serie) or not pd.api.types.is_numeric_dtype(serie):
            continue
        valores = serie.dropna()
        if pd.api.types.is_integer_dtype(serie) or (
            len(valores) and (valores % 1 == 0).all() and not _PORCENTAJE.search(str(columna))
        ):
            formatos[columna] = "entero"
        elif _PORCENTAJE.search(str(columna)) and len(valores) and valores.between(0, 100).all():
            formatos[columna] = "porcentaje"
        else:
            formatos[columna] = "decimal"
    return formatos


def _formateador(tipo: str, valores: Any):
    if tipo == "entero":
        return lambda v: numero(v, 0)
    if tipo == "porcentaje":
        return lambda v: numero(v, 1, porcentaje=True)
    # Small values need more digits to say anything (0,03 rather than 0,0).
    grande = valores.dropna().abs().max() if len(valores.dropna()) else 0
    decimales = 1 if grande >= 10 else 2
    return lambda v: numero(v, decimales)


def tabla_html(tabla: Any) -> str:
    """La tabla en HTML con el formato del curso (lo que muestra el cuaderno y el libro)."""
    formatos = formatos_de_columnas(tabla)
    estilo = tabla.style.format(
        {col: _formateador(tipo, tabla[col]) for col, tipo in formatos.items()}, na_rep="—"
    )
    # Same look as pandas' own tables (JupyterLab and the book style class "dataframe").
    estilo = estilo.set_table_attributes('class="dataframe cj-tabla"')
    return estilo.to_html()


def activar_formato_de_tablas() -> None:
    """Hace que el núcleo de IPython actual muestre los ``DataFrame`` con :func:`tabla_html`."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import pandas as pd

    def _html(tabla: Any) -> str | None:
        if len(tabla) > 200 or tabla.columns.nlevels > 1 or not tabla.columns.is_unique:
            return tabla._repr_html_()  # big, multi-level or odd tables: pandas' own view
        try:
            return tabla_html(tabla)
        except Exception:  # showing a table must never fail a cell: pandas' own view instead
            return tabla._repr_html_()

    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _html)

"""How the course compares what people type: without accents, case or separators."""

from __future__ import annotations

import unicodedata


def sin_tildes(texto: object) -> str:
    """``"Consideración"`` → ``"consideracion"`` (también quita la tilde de la ñ: ``"año"`` → ``"ano"``)."""
    return unicodedata.normalize("NFKD", str(texto)).encode("ascii", "ignore").decode("ascii").lower().strip()


def clave(texto: object) -> str:
    """Una clave comparable: ``"Post-Compra"``, ``"post compra"`` y ``"post_compra"`` dan ``"post_compra"``.

    >>> clave("Fecha de Compra")
    'fecha_de_compra'
    """
    simple = sin_tildes(texto)
    for separador in "-_.":
        simple = simple.replace(separador, " ")
    return "_".join(simple.split())

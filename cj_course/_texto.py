"""How the course compares what people type (without accents, case or separators) and how it quotes it back."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable


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


# --- the marks and quotes of every message (the instructor's report reads them back) ---------
MARCA_OK = "✔"  # a check that passed
MARCA_FALLO = "✘"  # a required check that failed: the report takes the first line marked so
MARCA_SUGERENCIA = "•"  # an optional check (a suggestion) not met, in plain text
ICONO_SUGERENCIA = "💡"  # the same, in HTML
COMILLA_ABRE = "«"
COMILLA_CIERRA = "»"
# What a student typed appears between «»: the report groups the same failure across students by
# replacing these with «…».
PATRON_CITA = re.compile(f"{COMILLA_ABRE}[^{COMILLA_CIERRA}]*{COMILLA_CIERRA}")


def citar(texto: object) -> str:
    """``texto`` entre comillas latinas, como se cita en los mensajes lo que escribió el estudiante.

    >>> citar("Jóvenes")
    '«Jóvenes»'
    >>> PATRON_CITA.sub("«…»", "El segmento «Jóvenes» tiene 1 rasgo")
    'El segmento «…» tiene 1 rasgo'
    """
    return f"{COMILLA_ABRE}{texto}{COMILLA_CIERRA}"


def quisiste_decir(texto: object, opciones: Iterable[str], *, n: int = 1, corte: float = 0.6) -> str:
    """El comienzo de una pista con las ``n`` opciones más parecidas a ``texto``, o ``""`` si ninguna se parece.

    ``corte`` es el parecido mínimo (0 a 1) de :func:`difflib.get_close_matches`.

    >>> quisiste_decir("edda", ["nombre", "edad"])
    "¿Quisiste decir 'edad'? "
    >>> quisiste_decir("compar", ["compra", "comparar", "visita"], n=2)
    "¿Quisiste decir 'comparar', 'compra'? "
    >>> quisiste_decir("zzz", ["nombre", "edad"])
    ''
    """
    parecidos = difflib.get_close_matches(str(texto), list(opciones), n=n, cutoff=corte)
    if not parecidos:
        return ""
    return "¿Quisiste decir " + ", ".join(f"'{p}'" for p in parecidos) + "? "

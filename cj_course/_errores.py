"""The project's single exception type: every bad input a student can make ends here, in Spanish."""

from __future__ import annotations

from typing import TypeVar

_T = TypeVar("_T")


class ErrorCurso(ValueError):
    """Error de entrada con un mensaje en español que dice qué está mal y cómo arreglarlo.

    >>> e = ErrorCurso("La edad no puede ser negativa.", campo="edad", pista="Escribe un número entre 0 y 120.")
    >>> str(e)
    "La edad no puede ser negativa. Cómo arreglarlo: Escribe un número entre 0 y 120. (campo 'edad')"
    """

    def __init__(self, mensaje: str, *, campo: str | None = None, pista: str | None = None):
        self.mensaje = mensaje
        self.campo = campo
        self.pista = pista
        texto = mensaje
        if pista:
            texto += f" Cómo arreglarlo: {pista}"
        if campo:
            texto += f" (campo '{campo}')"
        super().__init__(texto)

    def _repr_html_(self) -> str:  # shown instead of a traceback when a widget or helper displays it
        from html import escape

        pista = f"<br><b>Cómo arreglarlo:</b> {escape(self.pista)}" if self.pista else ""
        return (
            '<div class="cj-error" role="alert" style="border-left:4px solid #c0392b;padding:6px 10px;'
            f'background:#fdecea">⚠️ {escape(self.mensaje)}{pista}</div>'
        )


def exigir_tipo(
    valor: object,
    tipo: type[_T],
    esperado: str,
    *,
    campo: str | None = None,
    pista: str | None = None,
) -> _T:
    """Devuelve ``valor`` si es de ``tipo``; si no, ``ErrorCurso`` «``esperado``, no <tipo recibido>.».

    >>> exigir_tipo(3, str, "El nombre debe ser un texto", pista='Escríbelo entre comillas: "Ana".')
    Traceback (most recent call last):
    ...
    cj_course._errores.ErrorCurso: El nombre debe ser un texto, no int. Cómo arreglarlo: Escríbelo entre comillas: "Ana".
    """
    if not isinstance(valor, tipo):
        raise ErrorCurso(f"{esperado}, no {type(valor).__name__}.", campo=campo, pista=pista)
    return valor

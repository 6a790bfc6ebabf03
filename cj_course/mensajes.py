"""Comprobaciones que enseñan: un fallo esperado se ve como un recuadro corto en español, sin rastreo.

La celda de preparación de cada cuaderno de ejercicios llama a :func:`activar_mensajes_del_curso`.
Desde entonces, en ese núcleo, una comprobación que no pasa (``AssertionError``), una entrada que el
curso rechaza (``ErrorCurso``) o una función sin terminar (``NotImplementedError``) muestran solo qué
pasa y cómo arreglarlo. La salida sigue siendo de tipo ``error`` (con el nombre de la excepción), así
que nbgrader y ``cj-course calificar`` la cuentan como fallida; solo desaparecen las líneas del rastreo.
Fuera de IPython (el calificador de confianza ejecuta la preparación en Python puro) no hace nada.

>>> texto_del_error(AssertionError("La persona necesita al menos 5 características."))
['✘ La comprobación no pasó', 'La persona necesita al menos 5 características.']
>>> activar_mensajes_del_curso()  # sin IPython no hace nada (y nunca muestra un valor en la celda)
"""

from __future__ import annotations

from ._errores import ErrorCurso

ROJO, AMARILLO, NEGRITA, FIN = "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"

EXCEPCIONES_DEL_CURSO: tuple[type[BaseException], ...] = (AssertionError, ErrorCurso, NotImplementedError)


def _ultima_funcion(tb) -> str | None:
    """Name of the innermost function of the student's code (the one that raised), if any."""
    nombre = None
    while tb is not None:
        codigo = tb.tb_frame.f_code
        archivo = codigo.co_filename
        # Code typed in a notebook cell (ipykernel names it /tmp/ipykernel_<pid>/<hash>.py), not a library.
        if codigo.co_name != "<module>" and ("ipykernel_" in archivo or archivo.startswith("<")):
            nombre = codigo.co_name
        tb = tb.tb_next
    return nombre


def texto_del_error(valor: BaseException, tb=None) -> list[str]:
    """Las líneas (sin colores) del recuadro de un error del curso.

    >>> texto_del_error(ErrorCurso("La edad debe ser un número.", pista="Escribe 28, no «veintiocho»."))
    ['✘ Hay un dato que corregir', 'La edad debe ser un número.', 'Cómo arreglarlo: Escribe 28, no «veintiocho».']
    >>> texto_del_error(NotImplementedError())[0]
    '✎ Esta parte todavía está por escribir'
    """
    if isinstance(valor, ErrorCurso):
        lineas = ["✘ Hay un dato que corregir", valor.mensaje]
        if valor.pista:
            lineas.append(f"Cómo arreglarlo: {valor.pista}")
        return lineas
    if isinstance(valor, NotImplementedError):
        funcion = _ultima_funcion(tb)
        detalle = str(valor).strip()
        if not detalle:
            detalle = (
                f"Completa la función {funcion} y borra la línea «raise NotImplementedError»."
                if funcion
                else "Escribe tu código donde dice «Escribe aquí tu respuesta» y borra la "
                "línea «raise NotImplementedError»."
            )
        return [
            "✎ Esta parte todavía está por escribir",
            detalle,
            "Cuando la termines, vuelve a ejecutar esta celda y las comprobaciones de abajo.",
        ]
    mensaje = str(valor).strip() or (
        "Tu respuesta todavía no cumple lo que pide esta comprobación. Revisa el enunciado de arriba, "
        "corrige tu respuesta y vuelve a ejecutar la celda."
    )
    return ["✘ La comprobación no pasó", *mensaje.splitlines()]


def _manejador(shell, tipo, valor, tb, tb_offset=None) -> list[str]:
    lineas = texto_del_error(valor, tb)
    color = AMARILLO if isinstance(valor, NotImplementedError) else ROJO
    stb = [f"{color}{NEGRITA}{lineas[0]}{FIN}", *lineas[1:]]
    # Sent as the error output's "traceback": the kernel publishes an `error` message with the
    # exception's name (nbgrader and the grader still see the failure) and JupyterLab shows exactly
    # these lines. IPython's run_code only calls this handler; showing is the handler's job.
    shell._showtraceback(tipo, valor, stb)
    return stb


def activar_mensajes_del_curso() -> None:
    """Instala los mensajes breves en el núcleo de IPython actual (si lo hay)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc(EXCEPCIONES_DEL_CURSO, _manejador)

"""El grupo de procesos que reparte las entregas entre los trabajadores, con barra de progreso.

Cada entrega va a un único trabajador; si un trabajador muere (memoria, un fallo), lo que tenía en
mano se reparte otra vez en un grupo nuevo, y la entrega que lo mata dos veces se informa.
Ctrl+C termina las entregas en curso y lanza :class:`CalificacionInterrumpida` con lo ya calificado.

>>> CalificacionInterrumpida([]).resultados
[]
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from typing import Any

from .plan import Estado, Pendiente, Resultado
from .trabajador import calificar_entrega, iniciar_trabajador


class CalificacionInterrumpida(Exception):
    """Ctrl+C durante la calificación: ``resultados`` tiene lo que se llegó a calificar (ya está en el libro)."""

    def __init__(self, resultados: list[Resultado]) -> None:
        super().__init__("La calificación se interrumpió.")
        self.resultados = resultados


def contexto_procesos() -> Any:
    """fork donde existe (los trabajadores heredan nbgrader ya importado); spawn en macOS y Windows.

    fork es seguro aquí: el proceso principal no tiene hilos, núcleos ni conexiones abiertas al
    libro cuando se crea el grupo.
    """
    metodos = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in metodos and sys.platform != "darwin" else "spawn")


def repartir(
    pendientes: list[Pendiente],
    trabajadores: int,
    raiz: str,
    argumentos: list[str],
    registro: str,
    *,
    forzar: bool,
    progreso: bool,
    ajustes: dict[str, Any],
    al_terminar: Callable[[Resultado], None] | None = None,
) -> list[Resultado]:
    """Califica ``pendientes`` en un grupo de procesos y devuelve un :class:`Resultado` por entrega."""
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    contexto = contexto_procesos()
    cerrojo, parar, ranura = contexto.Lock(), contexto.Event(), contexto.Value("i", 0)
    resultados: list[Resultado] = []
    intentos: dict[tuple[str, str], int] = {}
    barra = tqdm(
        total=len(pendientes),
        desc="Calificando",
        unit="entrega",
        disable=not progreso,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    fallidas = 0

    def anotar(resultado: Resultado) -> None:
        nonlocal fallidas
        fallidas += resultado.estado is Estado.FALLIDA
        resultados.append(resultado)
        if al_terminar:
            al_terminar(resultado)
        barra.set_postfix_str(f"fallidas={fallidas}", refresh=False)
        barra.update(1)

    try:
        while pendientes:
            reintentar: list[Pendiente] = []
            with ProcessPoolExecutor(
                max_workers=min(trabajadores, len(pendientes)),
                mp_context=contexto,
                initializer=iniciar_trabajador,
                initargs=(raiz, argumentos, cerrojo, registro, parar, ajustes, ranura),
            ) as pool:
                futuros: dict[Future[Resultado], Pendiente] = {
                    pool.submit(calificar_entrega, p, forzar): p for p in pendientes
                }
                vistos: set[Future[Resultado]] = set()
                try:
                    for futuro in as_completed(futuros):
                        vistos.add(futuro)
                        pendiente = futuros[futuro]
                        try:
                            anotar(futuro.result())
                        except BrokenProcessPool:
                            # A worker died (out of memory, a crash): every submission it had in hand is
                            # lost with it. Grade those again in a fresh pool.
                            clave = (pendiente.tarea, pendiente.estudiante)
                            intentos[clave] = intentos.get(clave, 0) + 1
                            if intentos[clave] < 2:
                                reintentar.append(pendiente)
                            else:
                                anotar(
                                    Resultado(
                                        pendiente.tarea,
                                        pendiente.estudiante,
                                        Estado.FALLIDA,
                                        [
                                            "El proceso que calificaba esta entrega murió dos veces (¿se quedó sin memoria?); "
                                            "revisa la entrega y califícala sola con --estudiante."
                                        ],
                                    )
                                )
                        except Exception as e:
                            anotar(
                                Resultado(
                                    pendiente.tarea,
                                    pendiente.estudiante,
                                    Estado.FALLIDA,
                                    [f"Error inesperado al calificar: {type(e).__name__}: {e}"],
                                )
                            )
                except KeyboardInterrupt:
                    parar.set()
                    barra.write(
                        "Interrumpiendo: se terminan las entregas en curso (Ctrl+C otra vez para salir ya)…",
                        file=sys.stderr,
                    )
                    pool.shutdown(wait=True, cancel_futures=True)
                    for futuro in futuros:
                        if futuro in vistos or not futuro.done() or futuro.cancelled():
                            continue
                        if futuro.exception() is None:
                            resultados.append(futuro.result())
                    raise CalificacionInterrumpida(resultados) from None
            pendientes = reintentar
    finally:
        barra.close()
    return resultados

"""``cj-course retroalimentar``: la retroalimentación HTML de lo calificado, en español y sin pruebas
ocultas, publicada en el intercambio si lo hay.

Una página que muestra algo de una prueba oculta que el estudiante no escribió se **retiene**: se
saca de ``feedback/`` (nbgrader publica desde ahí) a ``retenida/<estudiante>/<tarea>/`` con una nota,
y el resto de la clase recibe la suya igualmente.

>>> ruta_retenida(Path("/curso"), "ana", "m5", Path("ejercicios_m5.html")).as_posix()
'/curso/retenida/ana/m5/ejercicios_m5.html'
"""

from __future__ import annotations

import glob
import shutil
from pathlib import Path
from typing import Any

from traitlets.config import Config

from . import _curso, correcciones
from ._curso import Avisar, OrdenDeTareas
from .fugas import Fuga, fugas_en_retroalimentacion, pruebas_ocultas_de

CARPETA_RETENIDA = "retenida"
"""Dónde quedan las páginas retenidas: fuera de ``feedback/``, así ``release_feedback`` no las ve."""


def ruta_retenida(raiz: Path, estudiante: str, tarea: str, relativa: Path) -> Path:
    """Dónde se guarda la página retenida de un estudiante (``relativa`` a su carpeta de la tarea)."""
    return raiz / CARPETA_RETENIDA / estudiante / tarea / relativa


def _nota(estudiante: str, tarea: str, fugas: list[Fuga]) -> str:
    lineas = [
        f"Retroalimentación de «{estudiante}» en la tarea «{tarea}», retenida: no se publicó.",
        "La página muestra algo de las pruebas ocultas que el estudiante no escribió:",
    ]
    lineas += [f"  - {f.archivo.name} ({f.donde}): {f.motivo}: {f.texto!r}" for f in fugas]
    lineas += [
        "Qué hacer: mira esa línea de la página. Si es el código de una prueba oculta en la salida de",
        "una celda de pruebas (el código del estudiante puede imprimir la pila de llamadas), o si",
        "nbgrader_config.py no usa correcciones.OcultarPruebasOcultas en GenerateFeedback, corrígelo",
        f"y vuelve a ejecutar: cj-course retroalimentar {tarea}",
    ]
    return "\n".join(lineas) + "\n"


def retener_las_que_filtran(aplicacion, tarea: str, avisar: Avisar = print) -> list[str]:
    """Revisa cada página generada de ``tarea`` y retiene las que filtran; devuelve quiénes quedaron sin ella.

    Una página limpia borra la copia retenida de una vez anterior (ya no hace falta).
    """
    coursedir = aplicacion.coursedir
    raiz = Path(coursedir.root)
    base = Path(coursedir.format_path(coursedir.feedback_directory, ".", "."))
    ocultas = pruebas_ocultas_de(tarea, raiz)
    retenidos: list[str] = []
    for carpeta in sorted(glob.glob(coursedir.format_path(coursedir.feedback_directory, "*", tarea))):
        carpeta = Path(carpeta)
        estudiante = carpeta.relative_to(base).parts[0]
        calificada = Path(coursedir.format_path(coursedir.autograded_directory, estudiante, tarea))
        for pagina in sorted(carpeta.rglob("*.html")):
            relativa = pagina.relative_to(carpeta)
            destino = ruta_retenida(raiz, estudiante, tarea, relativa)
            nota = destino.with_suffix(".motivo.txt")
            fugas = fugas_en_retroalimentacion(
                pagina,
                tarea,
                calificado=calificada / relativa.with_suffix(".ipynb"),
                raiz=raiz,
                ocultas=ocultas,
            )
            if not fugas:
                for vieja in (destino, nota):
                    vieja.unlink(missing_ok=True)
                continue
            destino.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(pagina), destino)
            nota.write_text(_nota(estudiante, tarea, fugas), encoding="utf-8")
            primera = fugas[0]
            avisar(
                f"  ✘ Retroalimentación de «{estudiante}» retenida: {pagina.relative_to(raiz)} ({primera.donde}) "
                f"muestra {primera.motivo}: {primera.texto!r}"
                + (f" y {len(fugas) - 1} cosa(s) más" if len(fugas) > 1 else "")
                + f". No se publica; está en {destino.relative_to(raiz)} con la nota {nota.name}."
            )
            if estudiante not in retenidos:
                retenidos.append(estudiante)
    return retenidos


def _retroalimentar(aplicacion: Any, lista: list[str], avisar: Avisar) -> bool:
    configurados = aplicacion.config.get("GenerateFeedback", {}).get("preprocessors", [])
    if correcciones.OcultarPruebasOcultas not in configurados:
        extra = Config()
        correcciones.aplicar(extra)
        aplicacion.update_config(Config({"GenerateFeedback": extra.GenerateFeedback}))
    api = _curso.api_de(aplicacion)
    avisar(f"Generando la retroalimentación en {aplicacion.coursedir.feedback_directory}/:")
    with _curso.con_programas_del_entorno():
        ok = all([_curso.informar_resultado(avisar, t, api.generate_feedback(t)) for t in lista])
    retenidos = {t: retener_las_que_filtran(aplicacion, t, avisar) for t in lista}
    carpeta = Path(aplicacion.coursedir.root) / aplicacion.coursedir.feedback_directory
    publicado = True
    if not api.exchange_is_functional:
        avisar(f"Sin intercambio de nbgrader: entrega a cada estudiante su carpeta de {carpeta}.")
    else:
        avisar("Publicando la retroalimentación en el intercambio:")
        with _curso.con_programas_del_entorno():
            publicado = all([_curso.informar_resultado(avisar, t, api.release_feedback(t)) for t in lista])
    sin_publicar = sorted({e for nombres in retenidos.values() for e in nombres})
    if sin_publicar:
        avisar(
            f"✘ Retroalimentación retenida de {len(sin_publicar)} estudiante(s): {', '.join(sin_publicar)}. "
            f"El resto de la clase sí la tiene. Lee las notas de {CARPETA_RETENIDA}/ y vuelve a ejecutar "
            "cj-course retroalimentar cuando estén resueltas."
        )
    return ok and publicado and not sin_publicar


retroalimentar = OrdenDeTareas(
    _retroalimentar,
    """Genera la retroalimentación HTML de lo calificado y la publica si hay intercambio.

    Las pruebas ocultas nunca llegan al estudiante: si la configuración del curso no las quita
    (:class:`cj_course.calificacion.correcciones.OcultarPruebasOcultas`), se añade aquí; y antes de
    publicar se revisa la página de cada estudiante. La de quien muestre una prueba oculta se retiene
    (solo la suya) y la orden termina con error; las demás se publican. Lo que escribió el propio
    estudiante (sus celdas, sus salidas, ``respuestas/``) nunca cuenta como fuga.
    """,
)

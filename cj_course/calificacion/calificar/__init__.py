"""``cj-course calificar``: calificar a toda la clase en paralelo, aislada y sin que ninguna entrega pueda
hacer trampa ni daño.

* :mod:`.plan`: qué entregas se califican y su estado;
* :mod:`.trabajador`: un proceso que califica entregas completas con el ``Autograde`` de nbgrader;
* :mod:`.grupo`: el grupo de trabajadores, la barra de progreso y Ctrl+C;
* :mod:`.ejecucion`: el preprocesador que ejecuta el cuaderno aislado y decide los puntos fuera de él;
* :mod:`.aislamiento`: el núcleo del estudiante en bubblewrap (sin red, usuario sin privilegios, límites);
* :mod:`.confiable`: las pruebas de la fuente ejecutadas con las respuestas del estudiante como datos;
* :mod:`.respaldo`: la copia del libro de calificaciones antes de cada calificación;
* :mod:`.diagnostico`: los motivos en español.

Cómo se mantiene íntegro el libro de calificaciones (SQLite por defecto, PostgreSQL con ``db_url``):
cada entrega la califica un único trabajador; ejecutar ocurre en paralelo y no toca la base; todo lo
que lee o escribe el libro ocurre dentro de un cerrojo común (las escrituras van en serie, cada paso
abre y cierra su conexión); si otro programa bloquea la base, la entrega se repite desde cero tras
una pausa (las operaciones de nbgrader son «actualizar o crear»: repetir no duplica nada).

>>> Estado("calificada") is Estado.CALIFICADA
True
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..._errores import ErrorCurso
from .._curso import cargar_aplicacion, con_programas_del_entorno, elegir_tareas
from .grupo import CalificacionInterrumpida, repartir
from .plan import Calificacion, Estado, Pendiente, Resultado, planificar
from .respaldo import comprobar_que_nada_se_perdio, respaldar_libro

__all__ = [
    "Calificacion",
    "CalificacionInterrumpida",
    "Estado",
    "Pendiente",
    "Resultado",
    "calificar_en_paralelo",
    "leer_sospechas",
]


def calificar_en_paralelo(
    raiz: str | os.PathLike[str] | None = None,
    tareas: Iterable[str] | None = None,
    estudiantes: Iterable[str] | None = None,
    *,
    trabajadores: int | None = None,
    forzar: bool = False,
    tiempo_maximo: int | None = None,
    db_url: str | None = None,
    progreso: bool = True,
    registro: str | os.PathLike[str] | None = None,
    al_terminar: Callable[[Resultado], None] | None = None,
    aislamiento: str | None = None,
    tiempo_total: int | None = None,
    avisar: Callable[[str], object] | None = None,
) -> Calificacion:
    """Califica todas las entregas de ``submitted/`` repartidas entre ``trabajadores``
    (por defecto, uno por núcleo de CPU más uno).

    ``raiz`` es la carpeta del curso (por defecto, la que diga la configuración: la actual).
    Devuelve un :class:`Resultado` por entrega (también las que faltan o fallan, con el motivo en
    español). Las notas quedan en el libro de calificaciones de nbgrader, como con
    ``nbgrader autograde``. ``registro`` es el archivo con el detalle de nbgrader y de los núcleos
    (por defecto ``cj-course-calificar.log`` en la carpeta del curso). ``aislamiento`` elige cómo se
    aísla cada entrega (``auto``, ``bwrap``, ``usuario`` o ``ninguno``; ver :mod:`.aislamiento`) y
    ``tiempo_total`` es el plazo en segundos de cada entrega completa.
    """
    from .aislamiento import elegir_aislamiento

    argumentos: list[str] = []
    if tiempo_maximo is not None:
        if tiempo_maximo <= 0:
            raise ErrorCurso(
                "El tiempo máximo por celda debe ser positivo.",
                campo="tiempo_maximo",
                pista="Usa, por ejemplo, --tiempo-maximo 60.",
            )
        argumentos.append(f"--Execute.timeout={int(tiempo_maximo)}")
    if tiempo_total is not None and tiempo_total <= 0:
        raise ErrorCurso(
            "El tiempo total por entrega debe ser positivo.",
            campo="tiempo_total",
            pista="Usa, por ejemplo, --tiempo-total 600.",
        )
    if db_url:
        argumentos.append(f"--CourseDirectory.db_url={db_url}")
    app = cargar_aplicacion(raiz, argumentos)
    if "shutdown_kernel" not in app.config.get("Execute", {}):
        # When a notebook has run, every output is already in hand: killing its kernel loses nothing.
        # nbgrader's default ("graceful") waits for the interpreter to finalise pandas, matplotlib and
        # the widgets: ~0.5 s of CPU and ~0.7 s of wall time per notebook with this course's libraries.
        argumentos.append("--Execute.shutdown_kernel=immediate")
    coursedir = app.coursedir
    raiz_curso = str(coursedir.root)
    if trabajadores is None:
        # One per core plus one: while a kernel starts or a worker waits for the gradebook, a core
        # would sit idle.
        trabajadores = (os.cpu_count() or 1) + 1
    if trabajadores < 1:
        raise ErrorCurso(
            "Hace falta al menos un trabajador.", campo="trabajadores", pista="Usa --trabajadores 2."
        )
    lista = elegir_tareas(app, tareas)
    modo = elegir_aislamiento(aislamiento)
    if avisar is not None:
        avisar(modo.descripcion)

    with con_programas_del_entorno():
        resultados, pendientes = planificar(coursedir, lista, set(estudiantes) if estudiantes else None)
        ruta_registro = Path(registro) if registro else Path(raiz_curso) / "cj-course-calificar.log"
        ruta_registro.write_text(
            f"cj-course calificar — {time.strftime('%Y-%m-%d %H:%M:%S')}\n{modo.descripcion}\n",
            encoding="utf-8",
        )
        respaldo = respaldar_libro(coursedir) if pendientes else None
        ajustes: dict[str, Any] = {"aislamiento": modo.nombre, "tiempo_total": tiempo_total}
        if pendientes:
            try:
                resultados += repartir(
                    pendientes,
                    trabajadores,
                    raiz_curso,
                    argumentos,
                    str(ruta_registro),
                    forzar=forzar,
                    progreso=progreso,
                    ajustes=ajustes,
                    al_terminar=al_terminar,
                )
            except CalificacionInterrumpida as interrupcion:
                resultados += interrupcion.resultados
                _escribir_registro(ruta_registro, resultados)
                raise CalificacionInterrumpida(resultados) from None
        _anotar_notas(coursedir.db_url, coursedir.course_id, resultados)
        _escribir_registro(ruta_registro, resultados)
        guardar_sospechas(Path(raiz_curso), resultados)
        if respaldo is not None:
            comprobar_que_nada_se_perdio(coursedir, respaldo)
    calificacion = Calificacion(sorted(resultados, key=lambda r: (r.tarea, r.estudiante)))
    calificacion.registro = ruta_registro
    calificacion.respaldo = respaldo.ruta if respaldo is not None else None
    return calificacion


ARCHIVO_SOSPECHAS = "cj-course-sospechas.json"
"""Lo que la última calificación de cada entrega señaló para revisar (lo lee ``cj-course informe``)."""


def guardar_sospechas(raiz: Path, resultados: list[Resultado]) -> Path:
    """Actualiza, para las entregas calificadas ahora, las señales guardadas en la carpeta del curso."""
    import json

    ruta = raiz / ARCHIVO_SOSPECHAS
    try:
        todas = json.loads(ruta.read_text(encoding="utf-8")) if ruta.is_file() else {}
    except (OSError, ValueError):
        todas = {}
    if not isinstance(todas, dict):
        todas = {}
    for r in resultados:
        if r.estado is Estado.CALIFICADA:
            por_tarea = todas.setdefault(r.tarea, {})
            if r.sospechas:
                por_tarea[r.estudiante] = list(r.sospechas)
            else:
                por_tarea.pop(r.estudiante, None)
    ruta.write_text(json.dumps(todas, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return ruta


def leer_sospechas(raiz: str | os.PathLike[str]) -> dict[str, dict[str, list[str]]]:
    """Las señales guardadas: tarea -> estudiante -> frases en español."""
    import json

    ruta = Path(raiz) / ARCHIVO_SOSPECHAS
    try:
        datos = json.loads(ruta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return (
        {
            str(t): {str(e): [str(x) for x in v] for e, v in d.items() if isinstance(v, list)}
            for t, d in datos.items()
            if isinstance(d, dict)
        }
        if isinstance(datos, dict)
        else {}
    )


def _anotar_notas(db_url: str, course_id: str, resultados: list[Resultado]) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        for r in resultados:
            if r.estado not in (Estado.CALIFICADA, Estado.OMITIDA):
                continue
            try:
                entrega = gb.find_submission(r.tarea, r.estudiante)
            except MissingEntry:
                continue
            r.puntos, r.maximo = entrega.score, entrega.max_score


def _escribir_registro(registro: Path, resultados: list[Resultado]) -> None:
    with registro.open("a", encoding="utf-8") as f:
        for r in sorted(resultados, key=lambda r: (r.tarea, r.estudiante)):
            f.write(f"\n===== {r.tarea} / {r.estudiante}: {r.estado.value} ({r.segundos:.1f} s)\n")
            for motivo in r.motivos:
                f.write(f"  - {motivo}\n")
            for sospecha in r.sospechas:
                f.write(f"  ! {sospecha}\n")
            if r.registro:
                f.write(r.registro)

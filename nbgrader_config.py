"""Configuración de nbgrader del Curso de Customer Journey.

La carpeta del curso es la raíz del repositorio: ``solutions/`` es la fuente (con soluciones y
pruebas ocultas, solo para instructores) y ``exercises/`` la versión para estudiantes, que se
genera con ``cj-course generar`` (nunca se edita a mano).
La base de calificaciones ``gradebook.db`` queda aquí y no se sube a git; para una clase en
JupyterHub, cambia ``CourseDirectory.db_url`` por una URL de PostgreSQL.
"""

import glob
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

RAIZ = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = RAIZ
c.CourseDirectory.course_id = "customer_journey"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Saved form answers (respuestas/*.json) must never travel from the source folder: not into the
# release, and not over a student's own answers when autograding. nbgrader matches these globs
# relative to each folder it copies, so an absolute glob hits the source folder only and the
# students' respuestas/ still reach the autograder. nbgrader spells the source folder both as
# solutions/<tarea> and solutions/./<tarea>, and compares paths as text: both forms are listed.
_FUENTE = os.path.join(glob.escape(RAIZ), "solutions")
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    os.path.join(_FUENTE, "*", "respuestas"),
    os.path.join(_FUENTE, ".", "*", "respuestas"),
]

# What replaces each solution in the student version. Function exercises keep their `def` line
# and end with a Spanish NotImplementedError after the solution region.
c.ClearSolutions.code_stub = {"python": "# Escribe aquí tu respuesta"}
c.ClearSolutions.text_stub = "Escribe aquí tu respuesta."

# A cell that runs longer than this fails its test and grading goes on.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True

try:
    from cj_course.calificacion import correcciones
    from cj_course.calificacion.generar import archivos_de_respuesta
except ImportError as error:  # nbgrader outside the course's environment: plain nbgrader, with a warning
    import sys

    print(f"Aviso: no se pudo importar cj_course ({error}); nbgrader funciona, pero sin restaurar las "
          "pruebas borradas ni ocultar las pruebas ocultas en la retroalimentación. Instala el curso con "
          "«pip install -e .» en este entorno.", file=sys.stderr)
else:
    # Second guard after the ignore list: never overwrite the student's saved answers.
    c.Autograde.exclude_overwriting = archivos_de_respuesta()
    # Restore test cells a student deleted (nbgrader #1682) and keep hidden tests out of the
    # feedback (nbgrader #917), which is written in Spanish.
    correcciones.aplicar(c)

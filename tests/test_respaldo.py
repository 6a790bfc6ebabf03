"""Antes de calificar se copia el libro de calificaciones; si al terminar falta una nota que había, la
calificación no se da por buena y se dice dónde está la copia."""

from __future__ import annotations

import sqlite3

import pytest

from cj_course import ErrorCurso
from cj_course.calificacion import muestra
from cj_course.calificacion.calificar import Estado, calificar_en_paralelo
from cj_course.calificacion.calificar.respaldo import CARPETA_RESPALDOS
from cj_course.calificacion.generar import generar_tareas


@pytest.fixture
def curso(tmp_path):
    raiz = tmp_path / "curso"
    muestra.crear_curso_de_muestra(raiz, tiempo_maximo=10)
    assert generar_tareas(raiz, avisar=lambda _: None)
    muestra.crear_entregas(raiz, {"ana": "completa", "beto": "parcial"}, semilla=3)
    return raiz


def _notas(raiz) -> int:
    with sqlite3.connect(raiz / "gradebook.db") as conexion:
        return conexion.execute("SELECT count(*) FROM grade").fetchone()[0]


def test_cada_calificacion_deja_una_copia_del_libro_de_antes(curso):
    primera = calificar_en_paralelo(curso, trabajadores=2, progreso=False)
    assert {r.estado for r in primera} == {Estado.CALIFICADA}
    assert primera.respaldo is not None and primera.respaldo.parent == curso / CARPETA_RESPALDOS
    antes = _notas(curso)
    segunda = calificar_en_paralelo(curso, trabajadores=2, progreso=False, forzar=True)
    # the second copy holds the grades of the first run, intact and readable
    with sqlite3.connect(segunda.respaldo) as copia:
        assert copia.execute("SELECT count(*) FROM grade").fetchone()[0] == antes
    assert oct((curso / CARPETA_RESPALDOS).stat().st_mode & 0o777) == "0o700"


def test_si_desaparecen_notas_la_orden_no_da_la_calificacion_por_buena(curso):
    calificar_en_paralelo(curso, ["muestra"], ["ana"], trabajadores=1, progreso=False)
    assert _notas(curso) > 0

    def otro_programa_borra_notas(_resultado):
        # something outside the grader (a script, a hand edit) deletes ana's grades while beto is graded
        with sqlite3.connect(curso / "gradebook.db") as conexion:
            conexion.execute(
                "DELETE FROM grade WHERE notebook_id IN (SELECT sn.id FROM submitted_notebook sn "
                "JOIN submitted_assignment sa ON sn.assignment_id = sa.id WHERE sa.student_id = 'ana')"
            )

    with pytest.raises(ErrorCurso, match=r"faltan \d+ nota") as error:
        calificar_en_paralelo(
            curso,
            ["muestra"],
            ["beto"],
            trabajadores=1,
            progreso=False,
            al_terminar=otro_programa_borra_notas,
        )
    assert "ana/muestra" in str(error.value)
    assert str(curso / CARPETA_RESPALDOS) in str(error.value)

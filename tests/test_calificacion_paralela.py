"""Calificar en paralelo deja las mismas notas que nbgrader en serie, sin perder ni duplicar ninguna,
con SQLite y con un PostgreSQL real; y las entregas hostiles no detienen al resto de la clase."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Grade, Gradebook, SubmittedAssignment, SubmittedNotebook

from cj_course import ErrorCurso
from cj_course.calificacion import calificar as paralelo
from cj_course.calificacion import muestra
from cj_course.calificacion.calificar import diagnostico, trabajador
from cj_course.calificacion.calificar.ejecucion import EjecucionConfiable
from cj_course.calificacion.calificar.plan import Estado, Pendiente

# nbgrader's own update_or_create_submission triggers SQLAlchemy autoflush warnings (serial nbgrader too).
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

BIN = Path(sys.executable).parent
TAREA = muestra.TAREA_MUESTRA
# grade cells of the sample notebook: three tests and one answer graded by hand
CELDAS_CALIFICABLES = 4
CLASE = {
    "ana": "completa",
    "beto": "parcial",
    "carla": "vacia",
    "dani": "aleatoria",
    "eva": "aleatoria",
    "fede": "aleatoria",
    "gala": "celdas_borradas",
}


def _nbgrader(*argumentos: str, cwd: Path) -> subprocess.CompletedProcess:
    entorno = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(
        [str(BIN / "nbgrader"), *argumentos],
        cwd=cwd,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _sqlite(raiz: Path) -> str:
    return f"sqlite:///{raiz / 'gradebook.db'}"


def notas(db_url: str) -> dict[tuple[str, str, str], tuple[float | None, float]]:
    """(estudiante, cuaderno, celda) -> (puntuación automática, puntuación) según el libro de nbgrader."""
    with Gradebook(db_url) as gb:
        return {
            (e.student.id, nb.name, g.name): (g.auto_score, g.score)
            for e in gb.find_assignment(TAREA).submissions
            for nb in e.notebooks
            for g in nb.grades
        }


def comprobar_libro_integro(db_url: str, estudiantes: set[str]) -> None:
    """Una entrega por estudiante, un cuaderno por entrega y una nota por celda calificable."""
    with Gradebook(db_url) as gb:
        entregas = gb.find_assignment(TAREA).submissions
        assert sorted(e.student.id for e in entregas) == sorted(estudiantes)
        for entrega in entregas:
            assert len(entrega.notebooks) == 1
            assert sorted(g.name for g in entrega.notebooks[0].grades) == sorted(
                ["prueba_persona", "prueba_tasa", "prueba_etapas", "reflexion"]
            )
        # the same, counted straight from the tables: nothing hidden behind the relationships
        assert gb.db.query(SubmittedAssignment).count() == len(estudiantes)
        assert gb.db.query(SubmittedNotebook).count() == len(estudiantes)
        assert gb.db.query(Grade).count() == len(estudiantes) * CELDAS_CALIFICABLES


@pytest.fixture(scope="module")
def curso_base(tmp_path_factory) -> Path:
    raiz = tmp_path_factory.mktemp("base") / "curso"
    muestra.crear_curso_de_muestra(raiz, tiempo_maximo=10)
    generado = _nbgrader("generate_assignment", TAREA, "--force", cwd=raiz)
    assert generado.returncode == 0, generado.stderr[-2000:]
    muestra.crear_entregas(raiz, CLASE, semilla=3)
    return raiz


def _copia(curso_base: Path, destino: Path) -> Path:
    return Path(shutil.copytree(curso_base, destino / "curso"))


@pytest.fixture(scope="module")
def notas_en_serie(curso_base, tmp_path_factory) -> dict:
    raiz = _copia(curso_base, tmp_path_factory.mktemp("serie"))
    serie = _nbgrader("autograde", TAREA, cwd=raiz)
    assert serie.returncode == 0, serie.stderr[-3000:]
    resultado = notas(_sqlite(raiz))
    # A meaningful comparison needs a class where grades differ from student to student.
    assert len({v[1] for v in resultado.values()}) > 1
    return resultado


@pytest.fixture(scope="session")
def postgresql():
    """Un servidor PostgreSQL de Debian solo para estas pruebas; devuelve una fábrica de bases de datos.

    initdb se niega a correr como root: entonces se usa el usuario ``postgres``. El socket va en una
    carpeta privada y el servidor escucha solo en 127.0.0.1; se detiene siempre al terminar.
    """
    binarios = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    if not binarios:
        pytest.skip(
            "PostgreSQL no está instalado (apt-get install -y postgresql); scripts/pruebas.sh lo instala."
        )
    binarios = binarios[-1]
    base = Path(tempfile.mkdtemp(prefix="cj-pg-"))
    como: list[str] = []
    if os.geteuid() == 0:
        como = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        puerto = s.getsockname()[1]

    def ejecutar(*orden):
        subprocess.run([*como, *map(str, orden)], check=True, capture_output=True, text=True, timeout=120)

    datos = base / "datos"
    ejecutar(binarios / "initdb", "-D", datos, "-A", "trust", "-U", "profe", "-E", "UTF8", "--no-sync")
    try:
        ejecutar(
            binarios / "pg_ctl",
            "-D",
            datos,
            "-l",
            base / "servidor.log",
            "-w",
            "-t",
            "60",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {puerto} -k {base} -c fsync=off",
            "start",
        )

        def nueva_base(nombre: str) -> str:
            ejecutar(binarios / "createdb", "-h", "127.0.0.1", "-p", puerto, "-U", "profe", nombre)
            return f"postgresql+psycopg://profe@127.0.0.1:{puerto}/{nombre}"

        yield nueva_base
    finally:
        subprocess.run(
            [*como, str(binarios / "pg_ctl"), "-D", str(datos), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(base, ignore_errors=True)


def test_en_paralelo_con_sqlite_da_las_mismas_notas_que_nbgrader_en_serie(
    curso_base, notas_en_serie, tmp_path
):
    raiz = _copia(curso_base, tmp_path)
    resultados = paralelo.calificar_en_paralelo(raiz, trabajadores=3, progreso=False)

    assert {r.estudiante: r.estado for r in resultados} == dict.fromkeys(CLASE, "calificada")
    assert notas(_sqlite(raiz)) == notas_en_serie
    comprobar_libro_integro(_sqlite(raiz), set(CLASE))
    completa = next(r for r in resultados if r.estudiante == "ana")
    assert (completa.puntos, completa.maximo) == (
        5.0,
        6.0,
    )  # the written reflection is left to the instructor

    # Run again: nothing changed, so nothing is regraded and nothing is added twice.
    otra_vez = paralelo.calificar_en_paralelo(raiz, trabajadores=2, progreso=False)
    assert {r.estado for r in otra_vez} == {"omitida"}
    forzada = paralelo.calificar_en_paralelo(
        raiz, estudiantes=["ana", "beto"], trabajadores=2, forzar=True, progreso=False
    )
    assert sorted((r.estudiante, r.estado) for r in forzada) == [
        ("ana", "calificada"),
        ("beto", "calificada"),
    ]
    assert notas(_sqlite(raiz)) == notas_en_serie
    comprobar_libro_integro(_sqlite(raiz), set(CLASE))


def test_en_paralelo_con_postgresql_da_las_mismas_notas_que_nbgrader_en_serie(
    curso_base, notas_en_serie, tmp_path, postgresql
):
    from cj_course.calificacion.generar import generar_tareas

    raiz = _copia(curso_base, tmp_path)
    url = postgresql("paralelo")
    with (raiz / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"c.CourseDirectory.db_url = {url!r}\n")
    assert generar_tareas(raiz, avisar=lambda _texto: None)  # registers the assignment in PostgreSQL
    (raiz / "gradebook.db").unlink()  # nothing may fall back to the SQLite file

    resultados = paralelo.calificar_en_paralelo(raiz, trabajadores=3, progreso=False)

    assert {r.estudiante: r.estado for r in resultados} == dict.fromkeys(CLASE, "calificada")
    assert notas(url) == notas_en_serie
    comprobar_libro_integro(url, set(CLASE))
    assert not (raiz / "gradebook.db").exists()


def test_las_entregas_hostiles_se_califican_o_se_explican_y_la_clase_sigue(curso_base, tmp_path):
    raiz = _copia(curso_base, tmp_path)
    shutil.rmtree(raiz / "submitted")
    hostiles = {
        "h_bucle": "bucle_infinito",
        "h_sysexit": "sys_exit",
        "h_osexit": "os_exit",
        "h_salida": "salida_enorme",
        "h_borradas": "celdas_borradas",
        "h_json": "json_invalido",
        "h_falta": "sin_cuaderno",
        "ok_completa": "completa",
        "ok_parcial": "parcial",
    }
    muestra.crear_entregas(raiz, hostiles)

    resultados = {
        r.estudiante: r
        for r in paralelo.calificar_en_paralelo(raiz, trabajadores=2, tiempo_maximo=4, progreso=False)
    }

    assert set(resultados) == set(hostiles)
    estado = {e: (r.estado, r.puntos) for e, r in resultados.items()}
    assert estado["ok_completa"] == ("calificada", 5.0)
    assert estado["ok_parcial"] == ("calificada", 4.0)
    assert resultados["ok_completa"].motivos == []

    # the loop is cut at the time limit: the persona is never created, the other two exercises count
    assert estado["h_bucle"] == ("calificada", 3.0)
    assert "superó el tiempo máximo" in resultados["h_bucle"].motivos[0]
    assert estado["h_sysexit"] == ("calificada", 3.0)
    assert "sys.exit()" in resultados["h_sysexit"].motivos[0]
    assert estado["h_salida"] == ("calificada", 5.0)
    # the sandbox caps each output at 200 KB before nbgrader's LimitOutput keeps the first 1000 lines
    assert re.search(
        r"era enorme \(\d+ líneas\) y se recortó a las primeras 1000", resultados["h_salida"].motivos[0]
    )
    calificado = raiz / "autograded" / "h_salida" / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb"
    assert calificado.stat().st_size < 200_000  # 5000 printed lines would be ~250 KB
    # the deleted test cell comes back from the gradebook, so a correct answer keeps its point
    assert estado["h_borradas"] == ("calificada", 5.0)
    assert "se restauraron desde el original" in resultados["h_borradas"].motivos[0]

    # a kernel that ends itself keeps what it had answered before; the checks after it count 0, and why
    assert resultados["h_osexit"].estado == "calificada"
    assert any("núcleo de Python se cerró" in s and "os._exit" in s for s in resultados["h_osexit"].sospechas)
    assert resultados["h_osexit"].puntos < 5
    assert resultados["h_json"].estado == "fallida"
    assert "no es un cuaderno válido" in resultados["h_json"].motivos[0]
    assert resultados["h_falta"].estado == "sin_entrega"
    assert "no contiene muestra.ipynb" in resultados["h_falta"].motivos[0]

    # the gradebook agrees with what was reported
    with Gradebook(_sqlite(raiz)) as gb:
        for estudiante in ("ok_completa", "ok_parcial", "h_bucle", "h_sysexit", "h_salida", "h_borradas"):
            assert gb.find_submission(TAREA, estudiante).score == estado[estudiante][1]
        assert "h_falta" not in {s.id for s in gb.students}


def test_todo_acceso_al_libro_ocurre_con_el_cerrojo_tomado_y_la_ejecucion_sin_el(
    curso_base, tmp_path, monkeypatch
):
    """La garantía de integridad, comprobada en el código que corre: nbgrader abre el libro de
    calificaciones en varios pasos; cada apertura debe ocurrir con el cerrojo de los trabajadores."""
    import nbgrader.api
    from nbgrader.preprocessors import Execute, SaveAutoGrades

    raiz = _copia(curso_base, tmp_path)

    class Cerrojo:
        def __init__(self):
            self.tomado = False
            self.veces = 0

        def __enter__(self):
            assert not self.tomado, "el cerrojo no es reentrante: nadie debe tomarlo dos veces"
            self.tomado, self.veces = True, self.veces + 1

        def __exit__(self, *exc):
            self.tomado = False

    cerrojo = Cerrojo()
    aperturas = []
    original = nbgrader.api.Gradebook.__init__

    def abrir(self, *args, **kwargs):
        aperturas.append(cerrojo.tomado)
        original(self, *args, **kwargs)

    monkeypatch.setattr(nbgrader.api.Gradebook, "__init__", abrir)
    monkeypatch.setattr(trabajador, "_TRABAJADOR", {})
    trabajador.iniciar_trabajador(str(raiz), [], cerrojo, None)
    esperadas = {muestra.CUADERNO_MUESTRA: ["prueba_etapas", "prueba_persona", "prueba_tasa", "reflexion"]}
    resultado = trabajador.calificar_entrega(Pendiente(TAREA, "beto", esperadas), True)

    assert resultado.estado is Estado.CALIFICADA, resultado.motivos
    assert len(aperturas) >= 5 and all(aperturas), aperturas
    assert cerrojo.veces >= 5

    conversor = trabajador._TRABAJADOR["clase"](
        coursedir=trabajador._TRABAJADOR["app"].coursedir,
        parent=trabajador._TRABAJADOR["app"],
        cerrojo=cerrojo,
    )
    conversor.exporter = conversor.exporter_class(parent=conversor, config=conversor.config)
    conversor._sanitizing = False
    conversor._init_preprocessors()
    envoltorios = [p for p in conversor.exporter._preprocessors if not isinstance(p, trabajador._Observar)]
    ejecutar = [p for p in envoltorios if isinstance(p, EjecucionConfiable)]
    # nbgrader's Execute is replaced by the sandboxed, trusted run, which runs without the lock
    assert len(ejecutar) == 1 and isinstance(ejecutar[0].original, Execute)
    assert not any(isinstance(getattr(p, "preprocesador", None), Execute) for p in envoltorios)
    assert any(
        isinstance(p.preprocesador, SaveAutoGrades) and isinstance(p, trabajador._ConCerrojo)
        for p in envoltorios
        if not isinstance(p, EjecucionConfiable)
    )


def test_errores_de_uso_en_espanol(curso_base, tmp_path):
    with pytest.raises(ErrorCurso, match="no existe"):
        paralelo.calificar_en_paralelo(tmp_path / "no_existe", progreso=False)
    raiz = _copia(curso_base, tmp_path)
    with pytest.raises(ErrorCurso, match="La tarea «m9» no existe"):
        paralelo.calificar_en_paralelo(raiz, ["m9"], progreso=False)
    with pytest.raises(ErrorCurso, match="al menos un trabajador"):
        paralelo.calificar_en_paralelo(raiz, trabajadores=0, progreso=False)
    with pytest.raises(ErrorCurso, match="tiempo máximo"):
        paralelo.calificar_en_paralelo(raiz, tiempo_maximo=-1, progreso=False)
    # a student with no submission folder is reported, never silently dropped
    resultados = paralelo.calificar_en_paralelo(raiz, estudiantes=["nadie"], progreso=False)
    assert [(r.estudiante, r.estado) for r in resultados] == [("nadie", Estado.SIN_ENTREGA)]


def test_el_motivo_de_un_nucleo_muerto_nombra_la_celda():
    celda = nbformat.v4.new_code_cell("import os\nos._exit(3)")
    motivo = diagnostico.explicar_error(
        type("DeadKernelError", (RuntimeError,), {})("Kernel died"),
        {"celda": (6, celda), "cuaderno": "ejercicios_m3.ipynb"},
    )
    assert "celda 7 («import os»)" in motivo
    assert "ejercicios_m3.ipynb" in motivo


def test_el_registro_recoge_el_detalle_de_nbgrader(curso_base, tmp_path):
    raiz = _copia(curso_base, tmp_path)
    registro = tmp_path / "registro.log"
    with contextlib.suppress(FileNotFoundError):
        registro.unlink()
    paralelo.calificar_en_paralelo(raiz, estudiantes=["ana"], progreso=False, registro=registro)
    texto = registro.read_text(encoding="utf-8")
    assert "===== muestra / ana: calificada" in texto
    assert "[INFO]" in texto  # nbgrader's own log lines for that submission

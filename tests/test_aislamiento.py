"""La caja de cada entrega: qué ve y qué puede hacer el núcleo del estudiante, y qué pasa sin bubblewrap."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cj_course import ErrorCurso
from cj_course.calificacion.calificar import aislamiento
from cj_course.calificacion.calificar.aislamiento import Caja, Limites, elegir_aislamiento

RAIZ = Path(__file__).resolve().parent.parent

SONDA = f"""
import os, socket, pathlib
print("uid", os.getuid())
for ruta in [{str(RAIZ / "solutions")!r}, {str(RAIZ / "nbgrader_config.py")!r}, "/root", "/etc/passwd"]:
    print("ve", ruta, os.path.exists(ruta))
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    print("red si")
except OSError:
    print("red no")
for destino in ["/usr/escrito", {str(RAIZ / "escrito")!r}, "escrito_en_la_entrega"]:
    try:
        pathlib.Path(destino).write_text("x")
        print("escribe", destino, True)
    except OSError:
        print("escribe", destino, False)
print("procesos", len([p for p in os.listdir("/proc") if p.isdigit()]))
"""


def _en_la_caja(modo: str, codigo: str) -> str:
    with Caja(modo, ranura=7, limites=Limites()) as caja:
        proceso = subprocess.run(
            [*caja.prefijo(), sys.executable, "-c", codigo],
            cwd=caja.trabajo,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proceso.returncode == 0, proceso.stderr[-2000:]
        assert (caja.trabajo / "escrito_en_la_entrega").read_text() == "x"
        return proceso.stdout


def test_en_bubblewrap_el_nucleo_no_ve_el_curso_ni_la_red_ni_escribe_fuera():
    salida = _en_la_caja("bwrap", SONDA)
    assert f"ve {RAIZ / 'solutions'} False" in salida
    assert f"ve {RAIZ / 'nbgrader_config.py'} False" in salida
    assert "ve /etc/passwd False" in salida
    assert "red no" in salida
    assert "escribe /usr/escrito False" in salida and f"escribe {RAIZ / 'escrito'} False" in salida
    assert not (RAIZ / "escrito").exists()
    assert "uid 0" not in salida
    procesos = int(salida.split("procesos ")[1].split()[0])
    assert procesos < 10, "el núcleo ve procesos de fuera de su caja"


def test_los_limites_de_memoria_y_de_procesos_se_aplican():
    salida = _en_la_caja(
        "bwrap",
        """
import os
try:
    bytearray(6 * 2**30)
    print("memoria sin límite")
except MemoryError:
    print("memoria limitada")
hijos = 0
for _ in range(300):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        import time; time.sleep(5); os._exit(0)
    hijos += 1
print("hijos", hijos)
open("escrito_en_la_entrega", "w").write("x")
""",
    )
    assert "memoria limitada" in salida
    if os.geteuid() == 0:  # with root each worker has its own user, so the process limit is its own
        assert int(salida.split("hijos ")[1].split()[0]) < Limites().procesos


def test_un_modo_desconocido_o_imposible_se_explica_en_espanol(monkeypatch):
    with pytest.raises(ErrorCurso, match="No conozco el aislamiento «raro»"):
        elegir_aislamiento("raro")
    aislamiento._fallo_de.cache_clear()
    real = shutil.which
    monkeypatch.setattr(
        aislamiento.shutil, "which", lambda nombre: None if nombre == "bwrap" else real(nombre)
    )
    try:
        with pytest.raises(ErrorCurso, match="bubblewrap no está instalado") as error:
            elegir_aislamiento("bwrap")
        assert "apt-get install bubblewrap" in str(error.value)
        modo = elegir_aislamiento("auto")
        assert modo.nombre in ("usuario", "ninguno")
        assert modo.descripcion.startswith("AVISO") and "apt-get install bubblewrap" in modo.descripcion
    finally:
        aislamiento._fallo_de.cache_clear()


def test_sin_aislamiento_se_califica_igual_y_se_avisa(tmp_path):
    from cj_course.calificacion import muestra
    from cj_course.calificacion.calificar import Estado, calificar_en_paralelo
    from cj_course.calificacion.generar import generar_tareas

    raiz = tmp_path / "curso"
    muestra.crear_curso_de_muestra(raiz, tiempo_maximo=10)
    assert generar_tareas(raiz, avisar=lambda _: None)
    muestra.crear_entregas(raiz, {"ana": "completa", "carla": "vacia"}, semilla=3)
    avisos: list[str] = []
    resultados = calificar_en_paralelo(
        raiz, trabajadores=1, progreso=False, aislamiento="ninguno", avisar=avisos.append
    )
    assert avisos and avisos[0].startswith("AVISO: sin aislamiento")
    notas = {r.estudiante: (r.estado, r.puntos) for r in resultados}
    assert notas["ana"] == (Estado.CALIFICADA, 5.0) and notas["carla"] == (Estado.CALIFICADA, 0.0)

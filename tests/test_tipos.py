"""Los tipos del paquete: mypy (configurado en pyproject.toml) no encuentra errores.

Se vigila el paquete entero: la biblioteca del estudiante, los formularios, los importadores y la capa
del instructor.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent

VIGILADOS = ("cj_course/",)

_ERROR = re.compile(r"^(?P<archivo>[^:\s]+\.py):\d+: error: ")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One mypy cache for the module's runs (the second run reuses what the first one checked)."""
    return tmp_path_factory.mktemp("mypy-cache")


def _mypy(cache: Path, *objetivos: str) -> subprocess.CompletedProcess[str]:
    resultado = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            "--show-error-codes",
            *objetivos,
        ],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # 0: no errors, 1: errors found; anything else means mypy itself failed (bad config, crash).
    assert resultado.returncode in (0, 1), f"mypy no pudo ejecutarse:\n{resultado.stdout}\n{resultado.stderr}"
    return resultado


def _vigilado(archivo: str) -> bool:
    return any(archivo == v or (v.endswith("/") and archivo.startswith(v)) for v in VIGILADOS)


def test_mypy_sin_errores_en_los_modulos_vigilados(cache):
    resultado = _mypy(cache, *VIGILADOS)
    errores = [
        linea
        for linea in resultado.stdout.splitlines()
        if (m := _ERROR.match(linea)) and _vigilado(m["archivo"])
    ]
    assert not errores, f"mypy encontró {len(errores)} error(es) de tipos:\n" + "\n".join(errores)


def test_mypy_ve_los_tipos_del_modelo_y_los_formularios(cache, tmp_path):
    """What the annotations promise a user's editor: dataclass constructors, Formulario[Modelo]."""
    ejemplo = tmp_path / "uso_del_curso.py"
    ejemplo.write_text(
        textwrap.dedent("""
        from cj_course.modelo import ObjetoDelCurso, Persona
        from cj_course.persistencia import cargar_respuesta
        from cj_course.widgets import FormularioPersona, FormularioSegmentos

        reveal_type(FormularioPersona("m3_persona").respuesta)
        reveal_type(FormularioSegmentos("m3_segmentos").respuesta)
        reveal_type(cargar_respuesta("m3_persona", Persona)[0])
        reveal_type(Persona.desde_json("{}"))
        persona: ObjetoDelCurso = Persona("Ana", edad=30)
        Persona("Ana", edda=30)
    """),
        encoding="utf-8",
    )
    salida = _mypy(cache, str(ejemplo)).stdout
    reveladas = re.findall(r'Revealed type is "([^"]+)"', salida)
    assert reveladas == [
        "cj_course.modelo.Persona | None",
        "cj_course.modelo.Segmentacion | None",
        "cj_course.modelo.Persona | None",
        "cj_course.modelo.Persona",
    ], salida
    # The constructor's fields are known: a misspelt one is a type error (and, at run time, an ErrorCurso).
    errores = [
        linea for linea in salida.splitlines() if linea.startswith(f"{ejemplo}:") and ": error:" in linea
    ]
    assert len(errores) == 1 and '"edda"' in errores[0] and "[call-arg]" in errores[0], salida

"""The project's standing rules: environment files in sync, clean notebooks, ruff, the README's commands."""

import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement


def _pyproject(raiz):
    return tomllib.loads((raiz / "pyproject.toml").read_text(encoding="utf-8"))


def _normalizar(nombre: str) -> str:
    return re.sub(r"[-_.]+", "-", nombre).lower()


def test_environment_yml_lista_lo_mismo_que_pyproject(raiz):
    proyecto = _pyproject(raiz)["project"]
    esperados = {}
    for texto in [*proyecto["dependencies"], *proyecto["optional-dependencies"]["curso"]]:
        req = Requirement(texto)
        esperados[_normalizar(req.name)] = str(req.specifier)
    entorno = yaml.safe_load((raiz / "environment.yml").read_text(encoding="utf-8"))
    assert entorno["channels"] == ["conda-forge"]
    conda = {}
    for dep in entorno["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            req = Requirement(dep)
            conda[_normalizar(req.name)] = str(req.specifier)
    assert conda == esperados, "environment.yml y pyproject.toml se separaron: actualiza ambos a la vez"
    pip = next(d["pip"] for d in entorno["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip, "Binder instala el propio paquete"


def _cuadernos(raiz):
    salida = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=raiz, capture_output=True, text=True, check=True
    )
    return [raiz / p for p in salida.stdout.split()]


def test_ningun_cuaderno_versionado_guarda_salidas(raiz):
    sucios = []
    for ruta in _cuadernos(raiz):
        cuaderno = json.loads(ruta.read_text(encoding="utf-8"))
        for celda in cuaderno["cells"]:
            if celda.get("outputs") or celda.get("execution_count"):
                sucios.append(str(ruta.relative_to(raiz)))
                break
    assert not sucios, f"Cuadernos con salidas (límpialos antes de versionarlos): {sucios}"


def test_ruff_limpio(raiz):
    salida = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "cj_course", "tests", "benchmarks"],
        cwd=raiz,
        capture_output=True,
        text=True,
    )
    assert salida.returncode == 0, salida.stdout + salida.stderr


def test_ruff_format_aplicado(raiz):
    # One style, the formatter's: a file written by hand in another layout fails here, not in review.
    salida = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "cj_course", "tests", "benchmarks", "scripts"],
        cwd=raiz,
        capture_output=True,
        text=True,
    )
    assert salida.returncode == 0, (
        "Ejecuta `ruff format cj_course tests benchmarks scripts`:\n" + salida.stdout
    )


def test_readme_da_los_dos_comandos_y_ci_llama_al_de_pruebas(raiz):
    readme = (raiz / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/curso.sh" in readme
    assert "bash scripts/pruebas.sh" in readme
    ci = (raiz / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/pruebas.sh" in ci


@pytest.mark.parametrize("script", ["curso.sh", "pruebas.sh", "_entorno.sh"])
def test_scripts_de_shell_validos(raiz, script):
    subprocess.run(["bash", "-n", str(raiz / "scripts" / script)], check=True)


def test_el_paquete_se_importa_sin_cargar_widgets_ni_jupyter():
    codigo = (
        "import sys, cj_course; print(any(m.startswith(('ipywidgets', 'nbgrader')) for m in sys.modules))"
    )
    salida = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, check=True)
    assert salida.stdout.strip() == "False"


def test_doctests_del_paquete(raiz):
    salida = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--doctest-modules",
            "-p",
            "no:cacheprovider",
            str(raiz / "cj_course"),
        ],
        cwd=raiz,
        capture_output=True,
        text=True,
    )
    assert salida.returncode == 0, salida.stdout[-3000:]

"""El aviso de las páginas de ejercicio del libro: dice cómo abrir el ejercicio, y el hub solo si lo hay."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cj_course import libro

RAIZ = Path(__file__).resolve().parent.parent
EJERCICIO = RAIZ / "exercises" / "m3_mapeo" / "ejercicios_m3.ipynb"


@pytest.mark.parametrize("hub", [False, True])
def test_el_aviso_nombra_el_hub_solo_si_el_libro_tiene_uno(hub):
    cuaderno = libro.leer_cuaderno(EJERCICIO.read_text(encoding="utf-8"), edicion="estudiante", hub=hub)
    aviso = cuaderno.cells[1].source
    assert "cj-aviso-ejercicio" in aviso and "bash scripts/curso.sh" in aviso
    assert ("JupyterHub" in aviso) is hub
    assert cuaderno.cells[0].source.startswith("# ")  # the title stays first


def test_un_modulo_no_lleva_aviso():
    modulo = RAIZ / "modules" / "03_mapeo.ipynb"
    cuaderno = libro.leer_cuaderno(modulo.read_text(encoding="utf-8"))
    assert not any("cj-aviso-ejercicio" in c.source for c in cuaderno.cells)
    assert len(cuaderno.cells) == len(nbformat.read(str(modulo), as_version=4).cells)


def test_la_construccion_pasa_al_lector_si_hay_hub():
    rutas = libro.rutas_de_edicion(RAIZ)
    sin = libro._sustituciones(
        rutas, {"launch_buttons": {"jupyterhub_url": ""}}, jupyterhub=None, repositorio=None
    )
    con = libro._sustituciones(rutas, {}, jupyterhub="https://hub.ejemplo.org", repositorio=None)
    assert sin["nb_custom_formats"][".ipynb"][1] == {"edicion": "estudiante", "hub": False}
    assert con["nb_custom_formats"][".ipynb"][1] == {"edicion": "estudiante", "hub": True}

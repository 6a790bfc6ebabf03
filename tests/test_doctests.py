"""Cada ejemplo de las docstrings de ``cj_course`` se ejecuta y da lo que dice (los de todos los módulos)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cj_course

MODULOS = sorted(m.name for m in pkgutil.walk_packages(cj_course.__path__, "cj_course.")
                 if not m.name.endswith("__main__"))


@pytest.mark.parametrize("nombre", MODULOS)
def test_los_ejemplos_de_la_documentacion_funcionan(nombre, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that save answers write in a scratch folder
    modulo = importlib.import_module(nombre)
    resultado = doctest.testmod(modulo, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert resultado.failed == 0, f"{nombre}: {resultado.failed} ejemplo(s) fallan"

"""Reglas de la casa de ``cj_course`` que el código debe cumplir (issue 12): ningún módulo importa un ayudante
privado de otro, y ningún módulo se protege con ``try/except ImportError`` de un módulo del propio paquete."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PAQUETE = Path(__file__).resolve().parent.parent / "cj_course"
MODULOS = sorted(PAQUETE.rglob("*.py"))


def _nombre(ruta: Path) -> str:
    return ".".join(ruta.relative_to(PAQUETE.parent).with_suffix("").parts)


@pytest.mark.parametrize("ruta", MODULOS, ids=_nombre)
def test_ningun_modulo_importa_lo_privado_de_otro(ruta):
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    malos = []
    for nodo in ast.walk(arbol):
        if isinstance(nodo, ast.ImportFrom) and (nodo.level or (nodo.module or "").startswith("cj_course")):
            ultimo = (nodo.module or "").rsplit(".", 1)[-1]
            # names of a private module (_texto, _curso, _base...) are that module's public API
            if ultimo.startswith("_"):
                continue
            base = ruta.parent
            for _ in range(max(nodo.level - 1, 0)):
                base = base.parent
            paquete = (
                base.joinpath(*(nodo.module or "").split("."))
                if nodo.level
                else PAQUETE.parent.joinpath(*(nodo.module or "").split("."))
            )
            for alias in nodo.names:
                es_modulo = (paquete / f"{alias.name}.py").exists() or (paquete / alias.name).is_dir()
                if alias.name.startswith("_") and not alias.name.startswith("__") and not es_modulo:
                    malos.append(f"línea {nodo.lineno}: {alias.name} de {nodo.module or '.'}")
    assert not malos, f"{_nombre(ruta)} importa ayudantes privados de otro módulo: {malos}"


@pytest.mark.parametrize("ruta", MODULOS, ids=_nombre)
def test_ningun_modulo_se_protege_de_que_falte_otro_del_paquete(ruta):
    arbol = ast.parse(ruta.read_text(encoding="utf-8"))
    malos = []
    for nodo in ast.walk(arbol):
        if not isinstance(nodo, ast.Try):
            continue
        atrapa = {ast.unparse(h.type) for h in nodo.handlers if h.type is not None}
        if not atrapa & {"ImportError", "ModuleNotFoundError", "(ImportError, ModuleNotFoundError)"}:
            continue
        propios = [
            n
            for n in ast.walk(ast.Module(body=nodo.body, type_ignores=[]))
            if isinstance(n, ast.ImportFrom) and (n.level or (n.module or "").startswith("cj_course"))
        ]
        malos += [f"línea {n.lineno}" for n in propios]
    assert not malos, f"{_nombre(ruta)} protege con except ImportError un módulo del paquete: {malos}"

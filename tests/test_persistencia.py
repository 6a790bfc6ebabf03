import json
import os
import subprocess
import sys

import pytest

from cj_course import ErrorCurso, MapaDeViaje, Persona, cargar_respuesta, guardar_respuesta, mapa_ejemplo
from cj_course.persistencia import ruta_respuesta


def test_guardar_y_cargar(tmp_path):
    ruta = guardar_respuesta("m3_mapa", mapa_ejemplo(), carpeta=tmp_path)
    assert ruta == tmp_path / "respuestas" / "m3_mapa.json"
    assert cargar_respuesta("m3_mapa", MapaDeViaje, carpeta=tmp_path) == (mapa_ejemplo(), None)
    assert [p.name for p in ruta.parent.iterdir()] == ["m3_mapa.json"], "no quedan temporales"


def test_sin_archivo_no_hay_respuesta_ni_aviso(tmp_path):
    assert cargar_respuesta("m3_persona", Persona, carpeta=tmp_path) == (None, None)


def test_por_defecto_usa_la_carpeta_actual(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    guardar_respuesta("x", Persona("Ana"))
    assert (tmp_path / "respuestas" / "x.json").exists()


@pytest.mark.parametrize(
    "contenido",
    [
        b"{roto",
        b'{"tipo": "MapaDeViaje"}',
        b'{"tipo": "Persona", "nombre": ""}',
        b"\xff\xfe",
        b'{"tipo": "Persona", "nombre": "Ana", "edad": 900}',
    ],
)
def test_archivo_danado_o_ajeno_se_aparta_sin_pisarlo(tmp_path, contenido):
    ruta = ruta_respuesta("p", tmp_path)
    ruta.parent.mkdir()
    ruta.write_bytes(contenido)
    respuesta, aviso = cargar_respuesta("p", Persona, carpeta=tmp_path)
    assert respuesta is None
    assert "La guardé aparte como p.json.corrupto-" in aviso
    apartados = list(ruta.parent.glob("p.json.corrupto-*"))
    assert len(apartados) == 1 and apartados[0].read_bytes() == contenido
    assert not ruta.exists()
    # a second corrupt file never overwrites the first one set aside
    ruta.write_bytes(contenido)
    cargar_respuesta("p", Persona, carpeta=tmp_path)
    assert len(list(ruta.parent.glob("p.json.corrupto-*"))) == 2


def test_persistencia_entre_procesos(tmp_path):
    guardar_respuesta("m3_persona", Persona("Ana", edad=31, intereses=["moda"]), carpeta=tmp_path)
    codigo = (
        "import sys; from cj_course import Persona, cargar_respuesta; "
        "p, aviso = cargar_respuesta('m3_persona', Persona, carpeta=sys.argv[1]); "
        "print(p.a_json() if p else aviso)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", codigo, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert json.loads(salida.stdout)["edad"] == 31


def test_escritura_atomica_no_deja_el_archivo_a_medias(tmp_path, monkeypatch):
    guardar_respuesta("p", Persona("Ana"), carpeta=tmp_path)

    def falla(*_):
        raise OSError("disco lleno")

    monkeypatch.setattr(os, "replace", falla)
    with pytest.raises(OSError):
        guardar_respuesta("p", Persona("Beatriz"), carpeta=tmp_path)
    monkeypatch.undo()
    assert cargar_respuesta("p", Persona, carpeta=tmp_path)[0].nombre == "Ana"
    assert [p.name for p in (tmp_path / "respuestas").iterdir()] == ["p.json"]


@pytest.mark.parametrize("nombre", ["../fuera", "con espacio", "", "ñandú", None])
def test_nombres_de_ejercicio_invalidos(nombre, tmp_path):
    with pytest.raises(ErrorCurso, match="nombre de ejercicio"):
        guardar_respuesta(nombre, Persona("Ana"), carpeta=tmp_path)


def test_solo_se_guardan_objetos_del_curso(tmp_path):
    with pytest.raises(ErrorCurso, match="Solo se pueden guardar"):
        guardar_respuesta("p", {"nombre": "Ana"}, carpeta=tmp_path)


def test_rutas_de_respuesta_y_borrador_salen_de_persistencia(tmp_path):
    from cj_course.persistencia import CARPETA_RESPUESTAS, SUFIJO_BORRADOR, SUFIJOS, ruta_borrador

    assert ruta_respuesta("m3_persona", tmp_path) == tmp_path / CARPETA_RESPUESTAS / "m3_persona.json"
    assert (
        ruta_borrador("m3_persona", tmp_path)
        == tmp_path / CARPETA_RESPUESTAS / f"m3_persona{SUFIJO_BORRADOR}"
    )
    assert [f"m3_persona{s}" for s in SUFIJOS] == ["m3_persona.json", "m3_persona.borrador.json"]
    with pytest.raises(ErrorCurso, match="nombre de ejercicio"):
        ruta_borrador("../fuera", tmp_path)


def test_escribir_atomico_deja_el_archivo_anterior_si_falla(tmp_path, monkeypatch):
    from cj_course.persistencia import escribir_atomico

    ruta = tmp_path / "respuestas" / "m3_persona.borrador.json"
    escribir_atomico(ruta, '{"antes": 1}')
    monkeypatch.setattr(os, "replace", lambda *_: (_ for _ in ()).throw(OSError("disco lleno")))
    with pytest.raises(OSError, match="disco lleno"):
        escribir_atomico(ruta, '{"despues": 2}')
    monkeypatch.undo()
    assert ruta.read_text(encoding="utf-8") == '{"antes": 1}'
    assert [p.name for p in ruta.parent.iterdir()] == [ruta.name], "no quedan temporales"

"""El complemento del paquete español: añade lo que falta, nunca pisa lo que el paquete ya traduce."""

from __future__ import annotations

import json

from cj_course import traducciones


def test_anade_lo_que_falta_y_respeta_lo_que_hay(tmp_path):
    (tmp_path / "jupyterlab.json").write_text(
        json.dumps({"": {"domain": "jupyterlab"}, "menu\x04Run": ["Correr"]}), encoding="utf-8"
    )
    anadidas = traducciones.completar_paquete(tmp_path)
    datos = json.loads((tmp_path / "jupyterlab.json").read_text(encoding="utf-8"))
    assert datos["menu\x04Run"] == ["Correr"]  # the pack's own translation wins
    assert datos["menu\x04Tabs"] == ["Pestañas"]
    assert datos["Cut Cell"] == ["Cortar celda", "Cortar celdas"]
    assert (tmp_path / "notebook.json").exists()
    assert anadidas == sum(len(f) for f in traducciones.TRADUCCIONES.values()) - 1
    assert traducciones.completar_paquete(tmp_path) == 0  # idempotent


def test_sin_paquete_no_hace_nada(tmp_path):
    assert traducciones.completar_paquete(tmp_path / "no_existe") == 0


def test_el_paquete_instalado_queda_completo():
    carpeta = traducciones.carpeta_del_paquete()
    assert carpeta is not None, "Falta jupyterlab-language-pack-es-ES: pip install -e '.[curso]'"
    traducciones.completar_paquete()
    datos = json.loads((carpeta / "jupyterlab.json").read_text(encoding="utf-8"))
    assert all(clave in datos for clave in traducciones.TRADUCCIONES["jupyterlab"])

"""El plan exportado (issue 16): el PDF se lee con pdftotext y pdfinfo (poppler-utils), el HTML se analiza."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cj_course import CorreoBienvenida, ErrorCurso, Persona, mapa_ejemplo
from cj_course.plan import exportar_mapa, exportar_plan
from cj_course.proyecto import MiNegocio, mapa_desde_csv, proyecto_ejemplo

FECHA = dt.date(2026, 12, 3)


def _poppler(programa: str) -> str:
    ruta = shutil.which(programa)
    if ruta is None:
        pytest.fail(
            f"Falta {programa}: apt-get install -y poppler-utils (lo instala deploy/preparar_sistema.sh)"
        )
    return ruta


def _paginas(pdf: Path) -> int:
    salida = subprocess.run(
        [_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"^Pages:\s+(\d+)", salida, re.M).group(1))


def _texto(pdf: Path, pagina: int | None = None) -> str:
    rango = ["-f", str(pagina), "-l", str(pagina)] if pagina else []
    salida = subprocess.run(
        [_poppler("pdftotext"), *rango, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(salida.split())  # a wrapped line reads as one


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    carpeta = tmp_path_factory.mktemp("planes")
    return {
        n: exportar_plan(proyecto_ejemplo(n), carpeta / f"plan_{n}.pdf", fecha=FECHA)
        for n in ("zapatos", "nubestock")
    }


@pytest.mark.parametrize("nombre", ["zapatos", "nubestock"])
def test_el_pdf_tiene_cada_parte_en_su_pagina(pdfs, nombre):
    pdf, p = pdfs[nombre], proyecto_ejemplo(nombre)
    n = _paginas(pdf)
    # portada, segmentos, una tarjeta por persona, un mapa por persona, y correo + métricas + pendientes
    figuras = len(p.personas) + len(p.mapas)
    assert 2 + figuras + 1 <= n <= 2 + figuras + 3, n
    portada = _texto(pdf, 1)
    assert (
        "Plan de customer journey" in portada and p.nombre in portada and "3 de diciembre de 2026" in portada
    )
    assert f"Mercado: {p.mercado}" in portada
    assert ("1 persona · 1 mapa de viaje" in portada) == (len(p.personas) == 1)
    segmentos = _texto(pdf, 2)
    assert "Segmentos de clientes" in segmentos
    assert all(s.nombre in segmentos for s in p.segmentos)
    for i, persona in enumerate(p.personas):
        assert f"Persona: {persona.nombre}" in _texto(pdf, 3 + i)
    for i, persona in enumerate(p.personas):
        pagina = _texto(pdf, 3 + len(p.personas) + i)
        assert f"Mapa de viaje de {persona.nombre}" in pagina
        assert "Conciencia" in pagina and "Lealtad" in pagina  # the figure's own text is real text
    resto = " ".join(_texto(pdf, k) for k in range(3 + figuras, n + 1))
    for parte in ("Correo de bienvenida", "Plan de métricas", "Qué mide cada etapa", "Pendientes"):
        assert parte in resto
    assert "No hay pendientes" in resto
    for metrica in p.metricas.metricas:
        assert metrica.metrica in resto and metrica.herramienta in resto


def test_el_correo_se_rinde_para_dos_clientes_de_muestra(pdfs):
    zapatos = " ".join(_texto(pdfs["zapatos"], k) for k in range(1, _paginas(pdfs["zapatos"]) + 1))
    assert "Asunto: ¡Bienvenida a la comunidad, Fernanda!" in zapatos
    assert "Asunto: ¡Bienvenida a la comunidad, María!" in zapatos
    assert "{nombre}" not in zapatos and "{oferta}" not in zapatos
    nube = " ".join(_texto(pdfs["nubestock"], k) for k in range(1, _paginas(pdfs["nubestock"]) + 1))
    assert "el arranque de Distribuidora El Valle empieza hoy" in nube
    assert "el arranque de Ferretería Andina empieza hoy" in nube
    assert "Como Gerente de operaciones" in nube
    assert "Se envía en la etapa Post-compra al segmento Mediana" in nube


def test_un_plan_incompleto_lleva_sus_pendientes(tmp_path):
    p = MiNegocio(
        "Café La Loma",
        sector="Cafetería",
        campos_clientes=["nombre"],
        clientes_muestra=[{"nombre": "Ana"}, {"nombre": "Luis"}],
    )
    p.agregar_persona(Persona("Laura", edad=31, segmento="Oficinistas"))
    p.definir_correo(
        CorreoBienvenida("Hola {nombre}", "Tu café en {sucursal} te espera"), etapa="post_compra"
    )
    pdf = exportar_plan(p, tmp_path / "cafe.pdf", fecha=FECHA)
    texto = " ".join(_texto(pdf, k) for k in range(1, _paginas(pdf) + 1))
    assert "Todavía no hay segmentos." in texto and "Todavía no hay métricas." in texto
    assert "Falta: Segmentos: tienes 0." in texto
    assert (
        "Sugerencia: La persona «Laura» es del segmento «Oficinistas», que no está entre tus segmentos."
        in texto
    )
    assert "Sugerencia: El correo usa {sucursal}, que no es un dato de tus clientes." in texto
    assert "No se pudo rellenar: El marcador {sucursal} no existe para este cliente." in texto
    html = exportar_plan(p, tmp_path / "cafe.html").read_text(encoding="utf-8")
    assert "La persona «Laura» es del segmento «Oficinistas»" in html and "💡" in html


class _Imagenes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imagenes: list[dict[str, str | None]] = []
        self.externos: list[str] = []

    def handle_starttag(self, tag, attrs):
        datos = dict(attrs)
        if tag == "img":
            self.imagenes.append(datos)
        for clave in ("src", "href"):
            valor = datos.get(clave) or ""
            if valor and not valor.startswith(("data:", "#")):
                self.externos.append(valor)


def test_el_html_es_un_solo_archivo_con_las_figuras_dentro(tmp_path):
    p = proyecto_ejemplo("zapatos")
    ruta = exportar_plan(p, tmp_path / "sub" / "plan.html", fecha=FECHA)
    html = ruta.read_text(encoding="utf-8")
    lector = _Imagenes()
    lector.feed(html)
    assert lector.externos == []  # works offline, can be mailed as one file
    textos = [i["alt"] for i in lector.imagenes]
    assert textos == [
        *(f"Persona: {x.nombre} · segmento {x.segmento}" for x in p.personas),
        *(f"Mapa de viaje de {x.nombre}" for x in p.personas),
    ]
    assert all(i["src"].startswith("data:image/png;base64,") for i in lector.imagenes)
    assert '<html lang="es">' in html and "3 de diciembre de 2026" in html
    assert "¡Bienvenida a la comunidad, Fernanda!" in html and "{nombre}" not in html


def test_exportar_no_deja_temporales_y_reescribe(tmp_path):
    p = proyecto_ejemplo("nubestock")
    ruta = exportar_plan(p, tmp_path / "plan.pdf")
    primera = ruta.stat().st_size
    exportar_plan(p, ruta)
    assert (
        sorted(x.name for x in tmp_path.iterdir()) == ["plan.pdf", "respuestas"]
        and ruta.stat().st_size > 10_000
    )
    assert [x.name for x in (tmp_path / "respuestas").iterdir()] == ["mi_plan.json"]  # no temporary left
    assert abs(ruta.stat().st_size - primera) < 2_000


@pytest.mark.parametrize(
    ("ruta", "mensaje"),
    [("plan.docx", "No sé exportar a '.docx'"), ("plan", "sin extensión"), ("", "nombre del archivo")],
)
def test_rutas_malas_dan_error_curso(tmp_path, ruta, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje) as e:
        exportar_plan(proyecto_ejemplo("zapatos"), tmp_path / ruta if ruta else ruta)
    assert e.value.pista


def test_exportar_otra_cosa_que_un_proyecto(tmp_path):
    with pytest.raises(ErrorCurso, match="MiNegocio") as e:
        exportar_plan(Persona("Ana"), tmp_path / "plan.pdf")
    assert "proyecto_ejemplo" in e.value.pista


@pytest.mark.parametrize("sufijo", [".csv", ".json", ".png", ".svg", ".pdf"])
def test_exportar_mapa(tmp_path, sufijo):
    mapa = proyecto_ejemplo("zapatos").mapa_de("Fernanda")
    ruta = exportar_mapa(mapa, tmp_path / f"mapa{sufijo}")
    contenido = ruta.read_bytes()
    if sufijo == ".csv":
        assert contenido.startswith("\ufeff# modelo".encode())  # Excel reads the accents with the BOM
        assert mapa_desde_csv(ruta).interacciones == mapa.interacciones
    elif sufijo == ".json":
        assert type(mapa).desde_json(contenido).interacciones == mapa.interacciones
    else:
        assert contenido[:4] in (b"\x89PNG", b"<?xm", b"%PDF")
    with pytest.raises(ErrorCurso, match="No sé exportar"):
        exportar_mapa(mapa_ejemplo(), tmp_path / "mapa.xlsx")

"""El plan en HTML abierto en Chromium sin cabeza: se ven las figuras, ninguna imagen rota, nada externo."""

from __future__ import annotations

import pytest
from _navegador import chromium

from cj_course.plan import exportar_plan
from cj_course.proyecto import proyecto_ejemplo

pytestmark = pytest.mark.navegador

ESPERA_MS = 60_000


@pytest.fixture(scope="module")
def navegador():
    with chromium() as abierto:
        yield abierto


@pytest.mark.parametrize("nombre", ["zapatos", "nubestock"])
def test_el_plan_html_muestra_los_mapas_sin_imagenes_rotas(navegador, tmp_path, nombre):
    proyecto = proyecto_ejemplo(nombre)
    ruta = exportar_plan(proyecto, tmp_path / "mi_plan.html")
    contexto = navegador.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    externas: list[str] = []
    errores: list[str] = []

    def filtrar(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:  # the plan must open offline: anything else is a fault
            externas.append(r.request.url)
            r.abort()

    contexto.route("**/*", filtrar)
    pagina = contexto.new_page()
    pagina.set_default_timeout(ESPERA_MS)
    pagina.on("console", lambda m: m.type == "error" and errores.append(m.text))
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    try:
        pagina.goto(ruta.as_uri(), wait_until="load")
        imagenes = pagina.eval_on_selector_all(
            "img",
            "imgs => imgs.map(i => ({alt: i.alt, completa: i.complete, ancho: i.naturalWidth,"
            " visible: i.getBoundingClientRect().width}))",
        )
        assert imagenes, "el plan no tiene figuras"
        rotas = [i["alt"] for i in imagenes if not i["completa"] or i["ancho"] == 0]
        assert rotas == [], f"imágenes rotas: {rotas}"
        mapas = [i for i in imagenes if i["alt"].startswith("Mapa de viaje de ")]
        assert [i["alt"] for i in mapas] == [f"Mapa de viaje de {p.nombre}" for p in proyecto.personas]
        # a journey map is shown large enough to read: most of the page width
        assert all(i["visible"] > 900 and i["ancho"] > 1200 for i in mapas), mapas
        titulos = pagina.eval_on_selector_all("h2", "hs => hs.map(h => h.textContent)")
        assert titulos == [
            "Segmentos de clientes",
            "Buyer personas",
            "Mapas de viaje",
            "Correo de bienvenida",
            "Plan de métricas",
            "Pendientes",
        ]
        assert pagina.evaluate("document.documentElement.lang") == "es"
        assert proyecto.nombre in pagina.title()
        cuerpo = pagina.inner_text("body")
        assert proyecto.correo.renderizar(proyecto.clientes_muestra[0])[0] in cuerpo
        assert externas == [] and errores == []
    finally:
        contexto.close()

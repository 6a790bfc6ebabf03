"""Generador de datos sintéticos con semilla: clientes, eventos y encuestas con historias dentro.

Dos escenarios, los dos casos de estudio del curso:

``"zapatos"`` — *Zapatos SA de CV*, tienda en línea de zapatos para dama (mujeres de 18 a 45 años
de CDMX, Estado de México, Guadalajara y Monterrey). Cada clienta ve anuncios, visita la tienda,
mira productos, agrega al carrito, paga, recibe su pedido, contesta una encuesta y quizá vuelve.
Historias que un estudiante puede descubrir (guía para el instructor):

1. **El pago en el celular se cae.** Del ``inicio_pago`` a la ``compra`` convierte ~85 % desde la
   computadora y ~45 % desde el celular (columna ``dispositivo`` de clientes).
2. **El correo de bienvenida funciona.** Desde el 1 de octubre de 2024, el 80 % de quienes compran
   por primera vez recibe un ``correo_bienvenida`` (el 20 % restante es grupo de control): su tasa
   de recompra es claramente mayor y las cohortes desde octubre retienen mejor.
3. **Monterrey espera demasiado.** La paquetería tarda ~8 días allí contra 2-4 en las otras
   ciudades; su NPS es mucho más bajo y sus comentarios hablan de la entrega.
4. **Las reseñas ayudan a decidir.** Quien lee reseñas agrega al carrito más a menudo.

``"nubestock"`` — *NubeStock S.A.S.* (Bogotá), software de inventarios en la nube para
distribuidores y fabricantes de Colombia, Perú, Chile y Ecuador (B2B, ciclo largo: demo,
prueba, propuesta, negociación, contrato anual, onboarding, renovación). Historias:

1. **La prueba gratuita acelera el cierre.** Quien hace ``prueba_gratuita`` llega a ``contrato``
   mucho más a menudo.
2. **El ciclo depende del tamaño.** Las cuentas corporativas tardan meses en negociar; las pymes, semanas.
3. **Un onboarding lento se paga en la renovación.** Si la puesta en marcha tarda más de 45 días,
   el NPS baja y la ``renovacion`` se vuelve mucho menos probable.

Todo es vectorial (numpy): un millón de eventos se genera en un par de segundos.

>>> datos = generar_datos("zapatos", n_clientes=500, semilla=7)
>>> datos.eventos["evento"].iloc[0] in ("anuncio_visto", "visita_web")
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from .._errores import ErrorCurso
from .lectura import TIPO_FECHA
from .vocabulario import EVENTO_A_ETAPA

DIAS_POR_SEGUNDO = 1 / 86400


@dataclass(frozen=True)
class DatosCurso:
    """Un conjunto de datos del curso: tres tablas y de qué empresa son.

    ``clientes`` tiene una fila por cliente; ``eventos`` una por evento (el registro del recorrido);
    ``encuestas`` una por respuesta a la encuesta NPS.
    """

    nombre: str
    empresa: str
    descripcion: str
    clientes: pd.DataFrame = field(repr=False)
    eventos: pd.DataFrame = field(repr=False)
    encuestas: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        desde, hasta = self.eventos["momento"].min(), self.eventos["momento"].max()

        def miles(x: int) -> str:
            return f"{x:,}".replace(",", " ")

        return (
            f"DatosCurso('{self.nombre}': {self.empresa} — {miles(len(self.clientes))} clientes, "
            f"{miles(len(self.eventos))} eventos, {miles(len(self.encuestas))} encuestas, "
            f"del {desde:%d/%m/%Y} al {hasta:%d/%m/%Y})"
        )

    def __iter__(self) -> Iterator[pd.DataFrame]:
        # Lets ``clientes, eventos, encuestas = cargar_datos("zapatos")`` work.
        return iter((self.clientes, self.eventos, self.encuestas))


class _Registro:
    """Collects events as arrays of customer index, time (days), event code, channel code and amount."""

    def __init__(self, eventos: list[str], canales: list[str]) -> None:
        self.eventos = eventos
        self.canales = canales
        self._evento = {e: i for i, e in enumerate(eventos)}
        self._canal = {c: i for i, c in enumerate(canales)}
        self.partes: list[tuple[np.ndarray, ...]] = []

    def canal(self, nombre: str) -> int:
        return self._canal[nombre]

    def agregar(
        self,
        idx: np.ndarray,
        t: np.ndarray,
        evento: str,
        canal: str | np.ndarray,
        importe: np.ndarray | None = None,
    ) -> None:
        idx = np.asarray(idx, dtype=np.int64)
        n = len(idx)
        if n == 0:
            return
        canal = (
            np.full(n, self._canal[canal], dtype=np.int16)
            if isinstance(canal, str)
            else np.asarray(canal, dtype=np.int16)
        )
        importe = np.full(n, np.nan) if importe is None else np.asarray(importe, dtype=np.float64)
        self.partes.append(
            (idx, np.asarray(t, dtype=np.float64), np.full(n, self._evento[evento], np.int16), canal, importe)
        )

    def tabla(self, ids: pd.Index, inicio: np.datetime64, dias: float) -> pd.DataFrame:
        idx, t, ev, canal, importe = (np.concatenate(c) for c in zip(*self.partes, strict=True))
        dentro = t < dias  # the export is cut at the end date: later events have not happened yet
        idx, t, ev, canal, importe = idx[dentro], t[dentro], ev[dentro], canal[dentro], importe[dentro]
        segundos = np.round(t * 86400).astype(np.int64)
        orden = np.lexsort((ev, idx, segundos))
        momento = (inicio.astype("datetime64[s]") + segundos[orden]).astype(TIPO_FECHA)
        return pd.DataFrame(
            {
                "cliente_id": pd.Categorical.from_codes(idx[orden], categories=ids),
                "momento": momento,
                "evento": pd.Categorical.from_codes(
                    ev[orden], categories=pd.Index(self.eventos, dtype="str")
                ),
                "canal": pd.Categorical.from_codes(
                    canal[orden], categories=pd.Index(self.canales, dtype="str")
                ),
                "importe": importe[orden],
            }
        )


def _acumulado_por_grupo(veces: np.ndarray, huecos: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``huecos`` restarted at every group of ``veces`` consecutive rows."""
    total = np.cumsum(huecos)
    inicios = np.cumsum(veces) - veces
    base = np.repeat(total[inicios] - huecos[inicios], veces)
    return total - base


def _ultimos(veces: np.ndarray) -> np.ndarray:
    return np.cumsum(veces) - 1


def _elegir(
    rng: np.random.Generator, opciones: list, probabilidades_por_grupo: np.ndarray, grupo: np.ndarray
) -> np.ndarray:
    """One option per row, with the probabilities of that row's group (vectorised inverse-CDF sampling)."""
    acumuladas = np.cumsum(probabilidades_por_grupo, axis=1)
    acumuladas[:, -1] = 1.0
    u = rng.random(len(grupo))
    eleccion = (u[:, None] > acumuladas[grupo]).sum(axis=1)
    return np.asarray(opciones)[eleccion]


def _fechas_alta(
    rng: np.random.Generator,
    n: int,
    inicio: np.datetime64,
    dias: int,
    picos: dict[str, float],
    crecimiento: float,
) -> np.ndarray:
    """First-contact days: growing over time, with seasonal peaks (e.g. Buen Fin, Christmas)."""
    dia = np.arange(dias)
    peso = 1 + crecimiento * dia / dias
    fechas = inicio + dia.astype("timedelta64[D]")
    mes_dia = pd.DatetimeIndex(fechas).strftime("%m-%d")
    for prefijo, extra in picos.items():
        peso = peso + extra * np.asarray([m.startswith(prefijo) for m in mes_dia])
    elegido = rng.choice(dias, size=n, p=peso / peso.sum())
    return elegido + rng.random(n)


def _ids(prefijo: str, n: int) -> pd.Index:
    ancho = max(5, len(str(n)))
    return pd.Index([f"{prefijo}{i:0{ancho}d}" for i in range(1, n + 1)], dtype="str")


# --- Zapatos SA de CV -------------------------------------------------------------------------------

NOMBRES_MUJER = (
    "María",
    "Fernanda",
    "Lucía",
    "Sofía",
    "Valentina",
    "Camila",
    "Daniela",
    "Mariana",
    "Andrea",
    "Gabriela",
    "Ximena",
    "Regina",
    "Paola",
    "Alejandra",
    "Natalia",
    "Ana",
    "Carolina",
    "Valeria",
    "Diana",
    "Karla",
    "Jimena",
    "Renata",
    "Montserrat",
    "Guadalupe",
    "Verónica",
    "Patricia",
    "Claudia",
    "Adriana",
    "Mónica",
    "Laura",
    "Itzel",
    "Abril",
    "Brenda",
    "Elena",
    "Isabel",
    "Rocío",
    "Leticia",
    "Silvia",
    "Alma",
    "Frida",
    "Paulina",
    "Estefanía",
    "Vanessa",
    "Lorena",
    "Yolanda",
    "Teresa",
    "Julieta",
    "Nayeli",
    "Citlali",
    "Dulce",
)
NOMBRES_HOMBRE = (
    "José",
    "Juan",
    "Carlos",
    "Andrés",
    "Felipe",
    "Santiago",
    "Diego",
    "Javier",
    "Luis",
    "Ricardo",
    "Jorge",
    "Sebastián",
    "Mateo",
    "Alejandro",
    "Camilo",
    "Manuel",
    "Pablo",
    "Rodrigo",
    "Hernán",
    "Tomás",
)

SEGMENTOS_ZAPATOS = ("Universitarias", "Profesionistas urbanas", "Mamás trabajadoras")
CIUDADES_ZAPATOS = ("CDMX", "Estado de México", "Guadalajara", "Monterrey")
PRODUCTOS_ZAPATOS = {  # price in MXN
    "tenis blancos": 899.0,
    "botines": 1299.0,
    "zapatillas de tacón": 1099.0,
    "flats": 749.0,
    "sandalias": 599.0,
    "mocasines": 999.0,
}
CAMPANA_BIENVENIDA = "2024-10-01"

_COMENTARIOS = {
    "entrega": (
        "El pedido tardó más de una semana en llegar.",
        "La paquetería nunca me avisó cuándo llegaba.",
        "Tardaron muchísimo en entregar, ya no sabía si llegaría.",
        "Muy bonitos, pero la entrega fue lentísima.",
    ),
    "detractor": (
        "La talla no me quedó y el cambio es complicado.",
        "No se parecen a la foto del sitio.",
        "Pagar desde el celular fue un martirio, se trababa.",
        "Se despegó la suela al mes.",
    ),
    "pasivo": (
        "Bonitos, aunque un poco caros.",
        "Todo bien, nada extraordinario.",
        "Buena calidad; el sitio podría ser más fácil de usar.",
        "Cumplieron, pero tardaron un poco.",
    ),
    "promotor": (
        "¡Me encantaron, son comodísimos!",
        "Llegaron rápido y muy bien empacados.",
        "Ya es mi tienda favorita de zapatos.",
        "Excelente atención por WhatsApp.",
        "La guía de tallas me ayudó a acertar a la primera.",
    ),
}


def _comentarios(
    rng: np.random.Generator,
    puntuacion: np.ndarray,
    con_problema: np.ndarray,
    prob_vacio: float,
    textos: Mapping[str, tuple[str, ...]],
) -> np.ndarray:
    """Survey comments by NPS group; who had the scenario's problem (``textos``' first group) talks about it."""
    problema = next(iter(textos))
    grupos = np.where(puntuacion >= 9, "promotor", np.where(puntuacion >= 7, "pasivo", "detractor"))
    grupos = np.where(con_problema & (puntuacion <= 8), problema, grupos)
    salida = np.empty(len(puntuacion), dtype=object)
    for grupo, opciones in textos.items():
        sitio = grupos == grupo
        salida[sitio] = np.asarray(opciones, dtype=object)[rng.integers(0, len(opciones), sitio.sum())]
    salida[rng.random(len(puntuacion)) < prob_vacio] = np.nan
    return salida


def _importes(rng: np.random.Generator, favorito: np.ndarray, n: int) -> np.ndarray:
    """Order amounts: usually the favourite product, sometimes a second pair, sometimes a coupon."""
    productos = np.asarray(list(PRODUCTOS_ZAPATOS))
    precios = np.asarray(list(PRODUCTOS_ZAPATOS.values()))
    fav = pd.Index(productos).get_indexer(favorito)
    primero = np.where(rng.random(n) < 0.6, fav, rng.integers(0, len(productos), n))
    total = precios[primero] + np.where(
        rng.random(n) < 0.22, precios[rng.integers(0, len(productos), n)], 0.0
    )
    total = total * np.where(rng.random(n) < 0.15, 0.9, 1.0)
    return np.round(total, 2)


class _Escenario:
    """A synthetic company whose customers walk the journey: one method per stage, called in order.

    The random draws come from one generator in a fixed order, so a seed always gives the same data
    (and the bundled files): a new draw goes at the end of :meth:`_tablas`, never between two others.
    """

    prefijo: ClassVar[str]  # of the customer ids: "Z00001"
    # What DatosCurso says about the company: the data set's name, the company's and a description.
    NOMBRE: ClassVar[str]
    EMPRESA: ClassVar[str]
    DESCRIPCION: ClassVar[str]
    EVENTOS: ClassVar[frozenset[str]]  # the events its customers can have
    CANALES: ClassVar[tuple[str, ...]]  # its channels
    canales_adq: list[str]  # made by _clientes, with each customer's acquisition channel (adq)
    adq: np.ndarray
    reg: _Registro  # made by _registro, once the scenario's events and channels are known
    nombres: np.ndarray  # made by _clientes, like the segment codes
    seg: np.ndarray

    def __init__(self, n_clientes: int, semilla: int, inicio: str, fin: str) -> None:
        self.rng = np.random.default_rng(semilla)
        self.t0 = np.datetime64(inicio, "D")
        self.dias = int((np.datetime64(fin, "D") - self.t0).astype(int)) + 1
        self.n = n_clientes
        self.ids = _ids(self.prefijo, n_clientes)
        self.todos = np.arange(n_clientes)

    # Each scenario draws who its customers are, then what happens to them at each stage: one method
    # per step, run in this order (the order of the random draws, so it must not change).
    PASOS: ClassVar[tuple[str, ...]] = (
        "_clientes",
        "_registro",
        "_conciencia",
        "_consideracion",
        "_decision",
        "_compra",
        "_postcompra",
        "_lealtad",
    )

    def datos(self) -> DatosCurso:
        for paso in self.PASOS:
            getattr(self, paso)()
        eventos = self.reg.tabla(self.ids, self.t0, self.dias)
        clientes, encuestas = self._tablas()
        return DatosCurso(
            nombre=self.NOMBRE,
            empresa=self.EMPRESA,
            descripcion=self.DESCRIPCION,
            clientes=clientes,
            eventos=eventos,
            encuestas=encuestas,
        )

    def _tablas(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The customers and surveys tables, once the events are drawn."""
        raise NotImplementedError

    def _registro(self) -> None:
        """The event log, with the scenario's events in journey order; the acquisition channels' codes."""
        self.reg = _Registro([e for e in EVENTO_A_ETAPA if e in self.EVENTOS], list(self.CANALES))
        self.codigo_adq = np.asarray([self.reg.canal(c) for c in self.canales_adq])[self.adq]

    def _columnas_comunes(self, segmentos: tuple[str, ...]) -> dict[str, object]:
        """The first columns of every scenario's customers table: id, name and segment."""
        return {
            "cliente_id": pd.Series(self.ids, dtype="str"),
            "nombre": pd.Series(self.nombres, dtype="str"),
            "segmento": pd.Categorical.from_codes(self.seg, categories=pd.Index(segmentos, dtype="str")),
        }


class _Zapatos(_Escenario):
    """Zapatos SA de CV: women who see ads, visit the shop, buy, get the order, answer a survey, come back."""

    prefijo = "Z"
    NOMBRE = "zapatos"
    EMPRESA = "Zapatos SA de CV"
    DESCRIPCION = (
        "Tienda en línea de calzado de moda para mujer; sus clientas tienen entre 18 y 45 años y viven en "
        "la Ciudad de México, el Estado de México, Guadalajara o Monterrey. Importes en pesos mexicanos (MXN)."
    )

    def _tablas(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        clientes = self._tabla_clientes()
        comentarios = _comentarios(self.rng, self.puntuacion, self.lenta[self.contesta], 0.45, _COMENTARIOS)
        encuestas = _tabla_encuestas(
            self.ids, self.enc, self.t_enc, self.puntuacion, comentarios, self.t0, self.dias
        )
        return clientes, encuestas

    def _clientes(self) -> None:
        """Who they are: segment, age, city, device, acquisition channel, favourite product, first contact."""
        rng, n = self.rng, self.n
        self.seg = seg = rng.choice(3, size=n, p=[0.35, 0.40, 0.25])
        self.edad = np.select(
            [seg == 0, seg == 1], [rng.integers(18, 25, n), rng.integers(25, 36, n)], rng.integers(30, 46, n)
        )
        self.ciudad = rng.choice(4, size=n, p=[0.38, 0.22, 0.20, 0.20])
        self.movil = rng.random(n) < np.asarray([0.78, 0.55, 0.68])[seg]
        self.canales_adq = ["instagram", "facebook", "tiktok", "google", "referido"]
        self.adq = _elegir(
            rng,
            list(range(5)),
            np.asarray(
                [
                    [0.35, 0.05, 0.35, 0.15, 0.10],
                    [0.35, 0.15, 0.08, 0.30, 0.12],
                    [0.20, 0.40, 0.03, 0.25, 0.12],
                ]
            ),
            seg,
        )
        self.productos = list(PRODUCTOS_ZAPATOS)
        self.favorito = _elegir(
            rng,
            self.productos,
            np.asarray(
                [
                    [0.40, 0.15, 0.05, 0.10, 0.25, 0.05],
                    [0.15, 0.30, 0.25, 0.10, 0.05, 0.15],
                    [0.25, 0.10, 0.05, 0.30, 0.20, 0.10],
                ]
            ),
            seg,
        )
        self.nombres = np.asarray(NOMBRES_MUJER)[rng.integers(0, len(NOMBRES_MUJER), n)]
        self.alta = _fechas_alta(
            rng, n, self.t0, self.dias - 30, picos={"11-1": 1.2, "12-": 0.8, "05-0": 0.6}, crecimiento=0.6
        )

    # The events this company's customers can have (in the vocabulary's journey order) and its channels.
    EVENTOS: ClassVar[frozenset[str]] = frozenset(
        {
            "anuncio_visto",
            "visita_web",
            "ver_producto",
            "leer_resenas",
            "agregar_carrito",
            "inicio_pago",
            "compra",
            "correo_bienvenida",
            "entrega",
            "encuesta",
            "resena",
            "recompra",
            "programa_lealtad",
            "referido",
        }
    )
    CANALES: ClassVar[tuple[str, ...]] = (
        "instagram",
        "facebook",
        "tiktok",
        "google",
        "web_movil",
        "web_escritorio",
        "correo",
        "whatsapp",
        "paqueteria",
        "referido",
    )

    def _registro(self) -> None:
        super()._registro()
        self.web = np.where(self.movil, self.reg.canal("web_movil"), self.reg.canal("web_escritorio"))

    def _conciencia(self) -> None:
        """Ads (none for referred customers), then maybe a visit."""
        rng, n, alta, adq = self.rng, self.n, self.alta, self.adq
        referida = adq == 4
        n_anuncios = np.where(referida, 0, 1 + rng.poisson(0.8, n))
        idx = np.repeat(self.todos, n_anuncios)
        huecos = rng.exponential(1.5, len(idx))
        huecos[np.cumsum(n_anuncios)[n_anuncios > 0] - n_anuncios[n_anuncios > 0]] = 0.0
        t_anuncio = alta[idx] + _acumulado_por_grupo(n_anuncios[n_anuncios > 0], huecos)
        self.reg.agregar(idx, t_anuncio, "anuncio_visto", self.codigo_adq[idx])
        ultimo_anuncio = alta.copy()
        ultimo_anuncio[n_anuncios > 0] = t_anuncio[_ultimos(n_anuncios[n_anuncios > 0])]

        visita = rng.random(n) < np.asarray([0.45, 0.40, 0.35, 0.75, 1.0])[adq]
        self.t_visita = np.where(referida, alta, ultimo_anuncio + rng.exponential(1.0, n))
        self.visitan = v = self.todos[visita]
        self.reg.agregar(v, self.t_visita[v], "visita_web", self.web[v])

    def _consideracion(self) -> None:
        """Product views in the same session."""
        rng, v = self.rng, self.visitan
        self.miran = mira = v[rng.random(len(v)) < 0.85]
        n_vistas = 1 + rng.poisson(1.2, len(mira))
        idx = np.repeat(mira, n_vistas)
        t_vista = self.t_visita[idx] + _acumulado_por_grupo(n_vistas, rng.exponential(8 / 1440, len(idx)))
        self.reg.agregar(idx, t_vista, "ver_producto", self.web[idx])
        self.t_ultima_vista = np.full(self.n, np.nan)
        self.t_ultima_vista[mira] = t_vista[_ultimos(n_vistas)]

    def _decision(self) -> None:
        """Reviews help; then the cart."""
        rng, mira, web = self.rng, self.miran, self.web
        resenas = mira[rng.random(len(mira)) < 0.35]
        t_decide = self.t_ultima_vista.copy()
        t_decide[resenas] += rng.exponential(10 / 1440, len(resenas))
        self.reg.agregar(resenas, t_decide[resenas], "leer_resenas", web[resenas])
        leyo = np.zeros(self.n, bool)
        leyo[resenas] = True
        p_carrito = np.asarray([0.40, 0.50, 0.45])[self.seg[mira]] + 0.15 * leyo[mira]
        self.carrito = carrito = mira[rng.random(len(mira)) < p_carrito]
        mismo_dia = rng.random(len(carrito)) < 0.7
        self.t_carrito = t_decide[carrito] + np.where(
            mismo_dia, rng.exponential(20 / 1440, len(carrito)), rng.exponential(2.0, len(carrito))
        )
        self.reg.agregar(carrito, self.t_carrito, "agregar_carrito", web[carrito])

    def _compra(self) -> None:
        """Checkout, and the mobile drop-off (story 1)."""
        rng, carrito, movil, web = self.rng, self.carrito, self.movil, self.web
        paga = rng.random(len(carrito)) < np.where(movil[carrito], 0.72, 0.78)
        pago, t_pago = carrito[paga], self.t_carrito[paga] + rng.exponential(2 / 24, paga.sum())
        self.reg.agregar(pago, t_pago, "inicio_pago", web[pago])
        completa = rng.random(len(pago)) < np.where(movil[pago], 0.45, 0.85)
        self.compra = compra = pago[completa]
        self.t_compra = t_pago[completa] + (3 + rng.exponential(6, completa.sum())) / 1440
        importe = _importes(rng, self.favorito[compra], len(compra))
        self.reg.agregar(compra, self.t_compra, "compra", web[compra], importe)

    def _postcompra(self) -> None:
        """Welcome e-mail (from the campaign on, 20 % control group: story 2), delivery (story 3), survey."""
        rng, compra, t_compra, reg = self.rng, self.compra, self.t_compra, self.reg
        campana = float((np.datetime64(CAMPANA_BIENVENIDA, "D") - self.t0).astype(int))
        self.recibe = recibe = (t_compra >= campana) & (rng.random(len(compra)) < 0.80)
        reg.agregar(
            compra[recibe],
            t_compra[recibe] + rng.exponential(2 / 24, recibe.sum()),
            "correo_bienvenida",
            "correo",
        )
        ciudad = self.ciudad[compra]
        self.demora = demora = np.asarray([2.0, 2.5, 3.0, 6.0])[ciudad] + rng.exponential(
            np.asarray([0.8, 1.0, 1.0, 2.5])[ciudad]
        )
        t_entrega = t_compra + demora
        reg.agregar(compra, t_entrega, "entrega", "paqueteria")
        self.contesta = contesta = rng.random(len(compra)) < 0.40
        self.enc, self.t_enc = enc, t_enc = (
            compra[contesta],
            t_entrega[contesta] + rng.uniform(1, 3, contesta.sum()),
        )
        latente = 8.8 - 0.55 * np.maximum(demora[contesta] - 3.5, 0) + rng.normal(0, 1.3, contesta.sum())
        self.puntuacion = puntuacion = np.clip(np.round(latente), 0, 10).astype(np.int64)
        reg.agregar(enc, t_enc, "encuesta", "correo")
        escribe = rng.random(len(enc)) < np.where(puntuacion >= 9, 0.45, 0.15)
        reg.agregar(
            enc[escribe],
            t_enc[escribe] + rng.exponential(0.5, escribe.sum()),
            "resena",
            self.web[enc[escribe]],
        )

    def _lealtad(self) -> None:
        """Repeat purchases (lifted by the welcome e-mail), loyalty programme, referrals."""
        rng, compra, reg, web = self.rng, self.compra, self.reg, self.web
        self.lenta = lenta = self.demora > 5
        p_recompra = np.asarray([0.20, 0.28, 0.32])[self.seg[compra]] + 0.20 * self.recibe - 0.08 * lenta
        n_recompras = np.where(
            rng.random(len(compra)) < p_recompra,
            rng.geometric(np.where(self.recibe, 0.50, 0.55), len(compra)),
            0,
        )
        n_recompras = np.minimum(n_recompras, 6)
        idx_pos = np.repeat(np.arange(len(compra)), n_recompras)
        t_re = self.t_compra[idx_pos] + _acumulado_por_grupo(
            n_recompras[n_recompras > 0], rng.gamma(2.0, 22.0, len(idx_pos))
        )
        clientas_re = compra[idx_pos]
        reg.agregar(
            clientas_re,
            t_re,
            "recompra",
            web[clientas_re],
            _importes(rng, self.favorito[clientas_re], len(idx_pos)),
        )
        primera_re = np.cumsum(n_recompras[n_recompras > 0]) - n_recompras[n_recompras > 0]
        con_re = compra[n_recompras > 0]
        se_une = rng.random(len(con_re)) < 0.5
        reg.agregar(
            con_re[se_une],
            t_re[primera_re][se_une] + rng.exponential(1.0, se_une.sum()),
            "programa_lealtad",
            web[con_re[se_une]],
        )
        enc, t_enc = self.enc, self.t_enc
        recomienda = (self.puntuacion >= 9) & (rng.random(len(enc)) < 0.3)
        reg.agregar(
            enc[recomienda], t_enc[recomienda] + rng.exponential(10, recomienda.sum()), "referido", "whatsapp"
        )

    def _tabla_clientes(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                **self._columnas_comunes(SEGMENTOS_ZAPATOS),
                "edad": pd.array(self.edad, dtype="Int64"),
                "ciudad": pd.Categorical.from_codes(
                    self.ciudad, categories=pd.Index(CIUDADES_ZAPATOS, dtype="str")
                ),
                "alta": _momentos(self.t0, self.alta),
                "dispositivo": pd.Categorical(
                    np.where(self.movil, "móvil", "computadora"),
                    categories=pd.Index(["móvil", "computadora"], dtype="str"),
                ),
                "canal_adquisicion": pd.Categorical(
                    np.asarray(self.canales_adq)[self.adq], categories=pd.Index(self.canales_adq, dtype="str")
                ),
                "producto_favorito": pd.Categorical(
                    self.favorito, categories=pd.Index(self.productos, dtype="str")
                ),
            }
        )


def _generar_zapatos(n_clientes: int, semilla: int, inicio: str, fin: str) -> DatosCurso:
    return _Zapatos(n_clientes, semilla, inicio, fin).datos()


def _momentos(t0: np.datetime64, dias: np.ndarray) -> np.ndarray:
    """Days since ``t0`` (fractional) -> the course's datetimes, to the second."""
    return (t0.astype("datetime64[s]") + np.round(dias * 86400).astype(np.int64)).astype(TIPO_FECHA)


def _tabla_encuestas(
    ids: pd.Index,
    idx: np.ndarray,
    t: np.ndarray,
    puntuacion: np.ndarray,
    comentario: np.ndarray,
    t0: np.datetime64,
    dias: int,
) -> pd.DataFrame:
    dentro = t < dias
    segundos = np.round(t[dentro] * 86400).astype(np.int64)
    orden = np.lexsort((idx[dentro], segundos))
    return pd.DataFrame(
        {
            "cliente_id": pd.Series(np.asarray(ids)[idx[dentro][orden]], dtype="str"),
            "momento": (t0.astype("datetime64[s]") + segundos[orden]).astype(TIPO_FECHA),
            "puntuacion": puntuacion[dentro][orden].astype(np.int64),
            "comentario": pd.Series(comentario[dentro][orden], dtype="str"),
        }
    )


# --- NubeStock S.A.S. (B2B) ------------------------------------------------------------------------

SEGMENTOS_B2B = ("Pyme", "Mediana", "Corporativo")
# The cities by country, in the order the generator draws them from.
PAISES_B2B = {
    "Colombia": ("Bogotá", "Medellín", "Cali"),
    "Perú": ("Lima", "Arequipa"),
    "Chile": ("Santiago",),
    "Ecuador": ("Quito", "Guayaquil"),
}
CIUDADES_B2B = {ciudad: pais for pais, ciudades in PAISES_B2B.items() for ciudad in ciudades}
SECTORES_B2B = ("Distribución", "Manufactura", "Alimentos y bebidas", "Ferretería y construcción", "Retail")
CARGOS_B2B = (
    "Gerente general",
    "Jefe de compras",
    "Gerente de operaciones",
    "Director financiero",
    "Jefe de logística",
)
_EMPRESA_A = (
    "Distribuidora",
    "Comercializadora",
    "Industrias",
    "Alimentos",
    "Ferretería",
    "Importadora",
    "Grupo",
    "Logística",
    "Suministros",
    "Textiles",
    "Plásticos",
    "Agroindustrial",
)
_EMPRESA_B = (
    "Andina",
    "del Pacífico",
    "Rivera",
    "Santa Fe",
    "El Roble",
    "Los Andes",
    "Sierra Nevada",
    "Cordillera",
    "del Valle",
    "La Esperanza",
    "San Martín",
    "Atlántico",
    "Horizonte",
    "Amazonas",
    "Del Sur",
    "Central",
    "Montoya",
    "Quintero",
    "Mistral",
    "Chimborazo",
)
_SUFIJO = {"Colombia": "S.A.S.", "Perú": "S.A.C.", "Chile": "SpA", "Ecuador": "Cía. Ltda."}
_COMENTARIOS_B2B = {
    "onboarding": (
        "La implementación tomó meses; casi cancelamos.",
        "Nos faltó acompañamiento al arrancar.",
        "La migración de nuestro inventario fue muy lenta.",
    ),
    "detractor": (
        "El soporte tarda días en responder.",
        "Caro para lo que usamos.",
        "Faltan integraciones con nuestro ERP.",
    ),
    "pasivo": (
        "Cumple, aunque los reportes podrían ser mejores.",
        "Buena herramienta, curva de aprendizaje alta.",
        "Funciona bien; el precio sube cada año.",
    ),
    "promotor": (
        "Redujimos los quiebres de stock a la mitad.",
        "El equipo de soporte es excelente.",
        "Ya no hacemos inventarios en Excel, ¡por fin!",
        "La prueba gratuita nos convenció.",
    ),
}


class _NubeStock(_Escenario):
    """NubeStock S.A.S.: client companies on a long B2B journey (demo, trial, contract, onboarding, renewal)."""

    prefijo = "N"
    NOMBRE = "nubestock"
    EMPRESA = "NubeStock S.A.S."
    DESCRIPCION = (
        "Software de inventarios en la nube para distribuidores y fabricantes de Colombia, Perú, "
        "Chile y Ecuador (B2B). Cada cliente es una empresa; el nombre es el de su contacto. "
        "Importes: valor anual del contrato en dólares (USD)."
    )

    def _tablas(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        # One comment per signed company (30 % leave it blank); a slow onboarding is what they mention.
        comentario = _comentarios(self.rng, self.puntuacion, self.lento, 0.3, _COMENTARIOS_B2B)
        contesta, c = self.contesta, self.c
        encuestas = _tabla_encuestas(
            self.ids,
            c[contesta],
            self.t_enc[contesta],
            self.puntuacion[contesta],
            comentario[contesta],
            self.t0,
            self.dias,
        )
        return self._tabla_clientes(), encuestas

    def _clientes(self) -> None:
        """Who they are: size, city and country, company name, contact, sector, role, channel, first contact."""
        rng, n = self.rng, self.n
        self.seg = seg = rng.choice(3, size=n, p=[0.55, 0.32, 0.13])
        self.empleados = np.select(
            [seg == 0, seg == 1],
            [rng.integers(10, 51, n), rng.integers(51, 251, n)],
            rng.integers(251, 2001, n),
        )
        self.ciudades = ciudades = list(CIUDADES_B2B)
        self.ciudad = rng.choice(len(ciudades), size=n, p=[0.24, 0.12, 0.08, 0.2, 0.04, 0.16, 0.08, 0.08])
        self.pais = pais = np.asarray([CIUDADES_B2B[c] for c in ciudades])[self.ciudad]
        empresa = np.char.add(
            np.char.add(np.asarray(_EMPRESA_A)[rng.integers(0, len(_EMPRESA_A), n)], " "),
            np.asarray(_EMPRESA_B)[rng.integers(0, len(_EMPRESA_B), n)],
        )
        self.empresa = np.char.add(np.char.add(empresa, " "), np.asarray([_SUFIJO[p] for p in pais]))
        self.nombres = np.where(
            rng.random(n) < 0.5,
            np.asarray(NOMBRES_MUJER)[rng.integers(0, len(NOMBRES_MUJER), n)],
            np.asarray(NOMBRES_HOMBRE)[rng.integers(0, len(NOMBRES_HOMBRE), n)],
        )
        self.sector = rng.integers(0, len(SECTORES_B2B), n)
        self.cargo = _elegir(
            rng,
            list(CARGOS_B2B),
            np.asarray(
                [
                    [0.55, 0.20, 0.10, 0.05, 0.10],
                    [0.20, 0.30, 0.25, 0.10, 0.15],
                    [0.05, 0.30, 0.25, 0.20, 0.20],
                ]
            ),
            seg,
        )
        self.canales_adq = ["linkedin", "google", "evento", "referido"]
        self.adq = _elegir(
            rng,
            list(range(4)),
            np.asarray([[0.30, 0.45, 0.10, 0.15], [0.40, 0.30, 0.18, 0.12], [0.45, 0.10, 0.30, 0.15]]),
            seg,
        )
        self.alta = _fechas_alta(
            rng, n, self.t0, self.dias - 60, picos={"01-": -0.3, "12-2": -0.5}, crecimiento=0.5
        )

    EVENTOS: ClassVar[frozenset[str]] = frozenset(
        {
            "anuncio_visto",
            "contenido_descargado",
            "webinar",
            "visita_web",
            "solicitud_demo",
            "demo",
            "prueba_gratuita",
            "propuesta",
            "negociacion",
            "contrato",
            "onboarding",
            "ticket_soporte",
            "encuesta",
            "renovacion",
            "ampliacion",
            "referido",
        }
    )
    CANALES: ClassVar[tuple[str, ...]] = (
        "linkedin",
        "google",
        "evento",
        "web",
        "correo",
        "videollamada",
        "ejecutivo",
        "plataforma",
        "referido",
    )

    def _conciencia(self) -> None:
        """Ads or an event, content downloads, the website; ``t_actual`` is each one's latest contact."""
        rng, n, todos, adq, alta, reg = self.rng, self.n, self.todos, self.adq, self.alta, self.reg
        por_anuncio = adq < 2
        n_anuncios = np.where(por_anuncio, 1 + rng.poisson(1.5, n), 0)
        idx = np.repeat(todos, n_anuncios)
        huecos = rng.exponential(4.0, len(idx))
        conteo = n_anuncios[n_anuncios > 0]
        huecos[np.cumsum(conteo) - conteo] = 0.0
        t_anuncio = alta[idx] + _acumulado_por_grupo(conteo, huecos)
        reg.agregar(idx, t_anuncio, "anuncio_visto", self.codigo_adq[idx])
        t_actual = alta.copy()
        t_actual[n_anuncios > 0] = t_anuncio[_ultimos(conteo)]
        self.webinar = webinar = (adq == 2) | (rng.random(n) < 0.08)
        t_web = np.where(adq == 2, alta, t_actual + rng.exponential(10, n))
        reg.agregar(todos[webinar], t_web[webinar], "webinar", "evento")
        t_actual = np.where(webinar, np.maximum(t_actual, t_web), t_actual)
        self.visita = visita = (adq == 3) | (rng.random(n) < 0.7)
        t_visita = np.where(adq == 3, alta, t_actual + rng.exponential(3, n))
        reg.agregar(todos[visita], t_visita[visita], "visita_web", "web")
        t_actual = np.where(visita, t_visita, t_actual)
        self.descarga = descarga = visita & (rng.random(n) < 0.35)
        t_desc = t_actual + rng.exponential(2, n)
        reg.agregar(todos[descarga], t_desc[descarga], "contenido_descargado", "web")
        self.t_actual = np.where(descarga, t_desc, t_actual)

    def _consideracion(self) -> None:
        """Demo request, demo, free trial (more common in small companies)."""
        rng, n, todos, seg, reg = self.rng, self.n, self.todos, self.seg, self.reg
        p_demo = np.asarray([0.22, 0.28, 0.34])[seg] + 0.15 * self.descarga + 0.15 * (self.adq == 3)
        pide = (self.visita | self.webinar) & (rng.random(n) < p_demo)
        t_pide = self.t_actual + rng.exponential(7, n)
        reg.agregar(todos[pide], t_pide[pide], "solicitud_demo", "web")
        self.tiene_demo = tiene_demo = pide & (rng.random(n) < 0.8)
        self.t_demo = t_demo = t_pide + 2 + rng.exponential(4, n)
        reg.agregar(todos[tiene_demo], t_demo[tiene_demo], "demo", "videollamada")
        self.prueba = prueba = tiene_demo & (rng.random(n) < np.asarray([0.60, 0.40, 0.20])[seg])
        self.t_prueba = t_prueba = t_demo + rng.exponential(1.5, n)
        reg.agregar(todos[prueba], t_prueba[prueba], "prueba_gratuita", "plataforma")

    def _decision(self) -> None:
        """Proposal (the trial helps: story 1), negotiation (longer for bigger accounts: story 2)."""
        rng, n, todos, seg, prueba, reg = self.rng, self.n, self.todos, self.seg, self.prueba, self.reg
        self.propuesta = propuesta = self.tiene_demo & (rng.random(n) < 0.45 + 0.25 * prueba)
        self.t_prop = t_prop = np.where(
            prueba, self.t_prueba + 14 + rng.exponential(3, n), self.t_demo + rng.exponential(7, n)
        )
        reg.agregar(todos[propuesta], t_prop[propuesta], "propuesta", "ejecutivo")
        self.negocia = negocia = propuesta & (rng.random(n) < np.asarray([0.30, 0.70, 0.95])[seg])
        self.t_neg = t_neg = t_prop + rng.exponential(3, n)
        reg.agregar(todos[negocia], t_neg[negocia], "negociacion", "videollamada")
        self.duracion = np.asarray([5.0, 10.0, 35.0])[seg] + rng.exponential(
            np.asarray([5.0, 15.0, 40.0])[seg]
        )

    def _compra(self) -> None:
        """The annual contract (its value in USD grows with company size)."""
        rng, n, seg, empleados = self.rng, self.n, self.seg, self.empleados
        cierra = self.propuesta & (rng.random(n) < np.asarray([0.60, 0.55, 0.50])[seg] + 0.18 * self.prueba)
        self.t_contrato = np.where(
            self.negocia, self.t_neg + self.duracion, self.t_prop + rng.exponential(4, n)
        )
        self.valor = np.round(
            np.select(
                [seg == 0, seg == 1], [1200 + 60 * empleados, 4000 + 45 * empleados], 15000 + 30 * empleados
            )
            * rng.uniform(0.85, 1.15, n),
            -1,
        )
        self.c = self.todos[cierra]  # the companies that signed
        self.reg.agregar(self.c, self.t_contrato[cierra], "contrato", "ejecutivo", self.valor[cierra])

    def _postcompra(self) -> None:
        """Onboarding (slow ones hurt: story 3), support tickets, the NPS survey."""
        rng, c, reg = self.rng, self.c, self.reg
        seg = self.seg[c]
        dias_onb = np.asarray([7.0, 14.0, 30.0])[seg] + rng.exponential(np.asarray([10.0, 18.0, 30.0])[seg])
        t_onb = self.t_contrato[c] + dias_onb
        reg.agregar(c, t_onb, "onboarding", "plataforma")
        self.lento = lento = dias_onb > 45
        tickets = rng.poisson(np.where(lento, 5.0, 2.0) * np.asarray([1.0, 1.5, 2.5])[seg])
        idx_t = np.repeat(np.arange(len(c)), tickets)
        t_ticket = self.t_contrato[c][idx_t] + rng.uniform(5, 360, len(idx_t))
        reg.agregar(c[idx_t], t_ticket, "ticket_soporte", "plataforma")
        self.contesta = contesta = rng.random(len(c)) < 0.65
        self.t_enc = t_onb + 90 + rng.exponential(10, len(c))
        latente = 8.6 - 0.06 * np.maximum(dias_onb - 21, 0) - 0.12 * tickets + rng.normal(0, 1.4, len(c))
        self.puntuacion = np.clip(np.round(latente), 0, 10).astype(np.int64)
        reg.agregar(c[contesta], self.t_enc[contesta], "encuesta", "correo")

    def _lealtad(self) -> None:
        """Yearly renewals (less likely after a slow onboarding), expansions, referrals."""
        rng, c, lento, reg, t_contrato = self.rng, self.c, self.lento, self.reg, self.t_contrato[self.c]
        p_renueva = np.clip(0.88 - 0.35 * lento - 0.12 * (self.puntuacion <= 6), 0.05, 0.95)
        sigue = np.ones(len(c), bool)
        importe = self.valor[c].copy()
        for anio in (1, 2):
            sigue = sigue & (rng.random(len(c)) < p_renueva)
            importe = np.round(importe * rng.uniform(1.0, 1.12, len(c)), -1)
            reg.agregar(
                c[sigue],
                t_contrato[sigue] + 365 * anio + rng.uniform(-20, 5, sigue.sum()),
                "renovacion",
                "ejecutivo",
                importe[sigue],
            )
        amplia = rng.random(len(c)) < np.where(lento, 0.10, 0.30)
        reg.agregar(
            c[amplia],
            t_contrato[amplia] + rng.uniform(120, 300, amplia.sum()),
            "ampliacion",
            "ejecutivo",
            np.round(self.valor[c][amplia] * rng.uniform(0.2, 0.4, amplia.sum()), -1),
        )
        recomienda = self.contesta & (self.puntuacion >= 9) & (rng.random(len(c)) < 0.35)
        reg.agregar(
            c[recomienda],
            self.t_enc[recomienda] + rng.exponential(20, recomienda.sum()),
            "referido",
            "referido",
        )

    def _tabla_clientes(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                **self._columnas_comunes(SEGMENTOS_B2B),
                "ciudad": pd.Categorical.from_codes(
                    self.ciudad, categories=pd.Index(self.ciudades, dtype="str")
                ),
                "alta": _momentos(self.t0, self.alta),
                "empresa": pd.Series(self.empresa, dtype="str"),
                "sector": pd.Categorical.from_codes(
                    self.sector, categories=pd.Index(SECTORES_B2B, dtype="str")
                ),
                "pais": pd.Categorical(
                    self.pais, categories=pd.Index(["Colombia", "Perú", "Chile", "Ecuador"], dtype="str")
                ),
                "empleados": pd.array(self.empleados, dtype="Int64"),
                "cargo": pd.Categorical(self.cargo, categories=pd.Index(CARGOS_B2B, dtype="str")),
                "canal_adquisicion": pd.Categorical(
                    np.asarray(self.canales_adq)[self.adq], categories=pd.Index(self.canales_adq, dtype="str")
                ),
            }
        )


def _generar_nubestock(n_clientes: int, semilla: int, inicio: str, fin: str) -> DatosCurso:
    return _NubeStock(n_clientes, semilla, inicio, fin).datos()


ESCENARIOS = {
    "zapatos": (_generar_zapatos, "2024-01-01", "2025-06-30"),
    "nubestock": (_generar_nubestock, "2023-01-01", "2025-06-30"),
}


def generar_datos(
    escenario: str = "zapatos",
    n_clientes: int = 10_000,
    semilla: int = 1,
    *,
    inicio: str | None = None,
    fin: str | None = None,
) -> DatosCurso:
    """Genera clientes, eventos y encuestas sintéticos del ``escenario`` (``"zapatos"`` o ``"nubestock"``).

    La misma semilla da siempre los mismos datos. En zapatos salen unos 4,5 eventos por cliente
    (1 millón de eventos ≈ 220 000 clientes); en NubeStock, unos 5. ``inicio`` y ``fin`` (``"AAAA-MM-DD"``)
    acotan el periodo; los eventos posteriores a ``fin`` se descartan, como en una exportación real.

    >>> d = generar_datos("nubestock", n_clientes=300, semilla=3)
    >>> sorted(d.clientes.columns)[:3]
    ['alta', 'canal_adquisicion', 'cargo']
    """
    if escenario not in ESCENARIOS:
        raise ErrorCurso(
            f"No conozco el escenario '{escenario}'.",
            campo="escenario",
            pista=f"Usa uno de estos: {', '.join(ESCENARIOS)}.",
        )
    if isinstance(n_clientes, bool) or not isinstance(n_clientes, int | np.integer) or n_clientes < 1:
        raise ErrorCurso(
            "El número de clientes debe ser un entero positivo.",
            campo="n_clientes",
            pista="Por ejemplo n_clientes=5000.",
        )
    if isinstance(semilla, bool) or not isinstance(semilla, int | np.integer) or semilla < 0:
        raise ErrorCurso(
            "La semilla debe ser un entero no negativo.", campo="semilla", pista="Por ejemplo semilla=1."
        )
    funcion, inicio_def, fin_def = ESCENARIOS[escenario]
    inicio, fin = inicio or inicio_def, fin or fin_def
    try:
        duracion = int((np.datetime64(fin, "D") - np.datetime64(inicio, "D")).astype(int))
    except ValueError:
        raise ErrorCurso(
            "Las fechas de inicio y fin deben tener la forma AAAA-MM-DD.",
            campo="inicio",
            pista='Por ejemplo inicio="2024-01-01", fin="2025-06-30".',
        ) from None
    if duracion < 120:
        raise ErrorCurso(
            "El periodo debe durar al menos 120 días para que haya recorridos completos.",
            campo="fin",
            pista="Aleja la fecha de fin de la de inicio.",
        )
    return funcion(int(n_clientes), int(semilla), inicio, fin)

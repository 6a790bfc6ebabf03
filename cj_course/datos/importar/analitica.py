"""Google Analytics 4: the BigQuery export of events, flattened to CSV or as JSON lines.

Each row of the export is one event: ``event_timestamp`` (microseconds since 1970, UTC),
``event_name`` (``session_start``, ``view_item``, ``add_to_cart``, ``begin_checkout``, ``purchase``…),
``user_pseudo_id`` (the browser: GA4's customer; ``user_id`` is only filled when the shop sends its own),
``traffic_source.source`` / ``traffic_source.medium`` (where the user first came from),
``device.category`` and ``ecommerce.purchase_revenue``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._texto import clave
from ._comun import (
    Crudo,
    Importacion,
    a_zona,
    buscar,
    error,
    exigir,
    numeros,
    primera_y_siguientes,
    tabla_eventos,
)

RECONOCER = ("event_timestamp", "event_name", "user_pseudo_id")
COLUMNAS = (
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "traffic_source.source",
    "traffic_source.medium",
    "device.category",
    "ecommerce.purchase_revenue",
    "event_value_in_usd",
)
# Ids as plain Python strings (a pseudo id like "760447077.1704276584" would be read as a number), names
# and sources as categories (a few dozen values: the parser keeps their codes, each row is a number):
# pandas' own text columns cost a second pass over a million rows, and every column is either factorised
# or turned into the course's text once, at the end. The amount is inferred (a number, or text that
# ``numeros`` reads).
TIPOS: dict[str, object] = {"event_timestamp": "int64", "user_pseudo_id": object, "user_id": object}
TIPOS.update(
    (clave(c), "category")
    for c in ("event_name", "traffic_source.source", "traffic_source.medium", "device.category")
)

EVENTOS_GA4 = {
    "session_start": "visita_web",
    "view_item": "ver_producto",
    "add_to_cart": "agregar_carrito",
    "begin_checkout": "inicio_pago",
    "purchase": "compra",  # the customer's later purchases become "recompra"
    "view_promotion": "anuncio_visto",
    "sign_up": "registro",
    "generate_lead": "lead",
    "refund": "reembolso",
}
"""Evento de GA4 → evento del curso. Los que no están aquí se conservan con su nombre de GA4."""

DISPOSITIVOS = {"mobile": "móvil", "desktop": "computadora", "tablet": "tableta", "smart tv": "televisor"}


def canal_de(fuente: object, medio: object) -> str:
    """The course's channel from GA4's source and medium.

    >>> canal_de("instagram", "paid"), canal_de("google", "organic"), canal_de("(direct)", "(none)")
    ('instagram', 'google', 'directo')
    >>> canal_de("newsletter", "email")
    'correo'
    """
    f = clave(fuente) if isinstance(fuente, str) else ""
    m = clave(medio) if isinstance(medio, str) else ""
    for red in ("instagram", "facebook", "tiktok", "whatsapp", "youtube", "pinterest", "linkedin"):
        if red in f or (red == "facebook" and f in ("fb", "m_facebook_com", "l_facebook_com")):
            return red
    if m in ("email", "e_mail", "correo", "newsletter") or "mail" in f or "klaviyo" in f:
        return "correo"
    if "google" in f:
        return "google"
    if f in ("(direct)", "direct", "") and m in ("(none)", "none", ""):
        return "directo"
    if m == "referral":
        return "referido"
    return f or "(sin fuente)"


def _objetos(serie: pd.Series) -> np.ndarray:
    """A text column as an object array of ``str`` and missing values, without copying what is already one.

    A CSV read with :data:`TIPOS` gives such arrays; a JSON export or a student's table may hold numbers.

    >>> _objetos(pd.Series(["a", None, 7], dtype=object)).tolist()
    ['a', nan, '7']
    """
    valores = serie.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(valores, skipna=True) in ("string", "empty"):
        return valores
    return serie.astype("str").to_numpy(dtype=object)


def _factorizar(serie: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for the missing) and distinct values of a text column; a category already has them.

    >>> codigos, valores = _factorizar(pd.Series(["web", None, "web"], dtype="category"))
    >>> codigos.tolist(), valores.tolist()
    ([0, -1, 0], ['web'])
    """
    if isinstance(serie.dtype, pd.CategoricalDtype):
        categorias = _objetos(pd.Series(serie.cat.categories))
        return np.asarray(serie.cat.codes, dtype=np.intp), categorias
    codigos, unicos = pd.factorize(_objetos(serie))
    return codigos, np.asarray(unicos, dtype=object)


def importar_ga4(
    crudo: Crudo, informe: Importacion, zona_horaria: str, *, cliente: str = "user_pseudo_id", **_opciones
) -> pd.DataFrame:
    tabla = crudo.tabla
    c_tiempo = exigir(crudo, "GA4", "event_timestamp")
    c_evento = exigir(crudo, "GA4", "event_name")
    c_pseudo = exigir(crudo, "GA4", "user_pseudo_id")
    c_usuario = buscar(tabla, "user_id")
    if clave(cliente) not in ("user_pseudo_id", "user_id"):
        raise error(
            crudo.archivo,
            f"cliente={cliente!r} no es una columna de cliente de GA4.",
            "Usa cliente='user_pseudo_id' (el navegador, siempre lleno) o cliente='user_id' (el id de tu "
            "tienda, solo si lo envías a GA4).",
            campo="cliente",
        )

    # The time: microseconds since 1970 in UTC (JSON exports write the integer as text).
    crudos = tabla[c_tiempo]
    micro = (
        pd.to_numeric(crudos, errors="coerce") if not pd.api.types.is_integer_dtype(crudos.dtype) else crudos
    )
    malas = micro.isna().to_numpy()
    if malas.any():
        fila = int(np.flatnonzero(malas)[0])
        raise error(
            crudo.archivo,
            f"«{c_tiempo}» debe ser un número entero de microsegundos y en la fila "
            f"{fila + crudo.desplazamiento} vale {crudos.iloc[fila]!r}.",
            "Exporta desde BigQuery sin transformar event_timestamp (o conviértela con "
            "TIMESTAMP_MICROS en tu consulta y usa formato='csv').",
            campo=c_tiempo,
            linea=fila + crudo.desplazamiento,
        )
    valores = micro.to_numpy(dtype="int64")
    if len(valores) and (valores.min() < 10**14 or valores.max() > 10**17):
        # 1973 to 5138 in microseconds: anything else is seconds or milliseconds.
        raise error(
            crudo.archivo,
            f"«{c_tiempo}» no parece estar en microsegundos (por ejemplo {valores[0]}).",
            "El export de GA4 a BigQuery usa microsegundos desde 1970 en UTC; si tu archivo viene de otra "
            "herramienta, usa formato='csv'.",
            campo=c_tiempo,
        )
    momento = a_zona(pd.Series(pd.to_datetime(valores, unit="us", utc=True)), zona_horaria)
    informe.zona_horaria = zona_horaria
    informe.columnas[c_tiempo] = f"momento (microsegundos UTC → hora de {zona_horaria})"

    # The customer: the pseudonymous browser id, unless the student asks for the shop's own id.
    pseudo = _objetos(tabla[c_pseudo])
    usuario = _objetos(tabla[c_usuario]) if c_usuario is not None else None
    lleno = 0.0 if usuario is None else 1.0 - float(pd.isna(usuario).mean())
    if clave(cliente) == "user_id":
        if usuario is None or lleno == 0:
            raise error(
                crudo.archivo,
                "pediste cliente='user_id', pero la columna user_id está vacía.",
                "Usa el valor por omisión (user_pseudo_id).",
                campo="user_id",
            )
        assert c_usuario is not None  # usuario exists only with its column
        ids = np.where(pd.isna(usuario), pseudo, usuario)
        informe.columnas[c_usuario] = "cliente_id (y user_pseudo_id donde user_id está vacío)"
    else:
        ids = pseudo
        informe.columnas[c_pseudo] = "cliente_id"
        if usuario is not None:
            informe.avisar(
                f"user_id está lleno solo en el {100 * lleno:.0f} % de las filas: no lo usé como cliente "
                "(cada navegador cuenta como un cliente; con cliente='user_id' se usa tu id donde exista)."
            )
    sin_cliente = pd.isna(ids)
    informe.descartar(
        "no tener user_pseudo_id (eventos sin consentimiento de cookies)", int(sin_cliente.sum())
    )

    # Event names: factorised, so the mapping is done once per distinct name.
    codigos, nombres = _factorizar(tabla[c_evento])
    # One more slot for the missing name (code -1): each row is looked up by its code, never compared.
    destino = np.asarray([EVENTOS_GA4.get(str(n), str(n)) for n in nombres] + [None], dtype=object)
    evento = destino[codigos]
    compras = (destino == "compra")[codigos]
    sin_nombre = codigos < 0
    informe.descartar("no tener event_name", int(sin_nombre.sum()))
    informe.columnas[c_evento] = "evento"
    for n in nombres:
        if str(n) in EVENTOS_GA4:
            informe.eventos[str(n)] = EVENTOS_GA4[str(n)] + (
                " (la primera; las siguientes, recompra)" if n == "purchase" else ""
            )
    otros = [str(n) for n in nombres if str(n) not in EVENTOS_GA4]
    if otros:
        informe.avisar(
            "eventos de GA4 sin equivalente en el curso, conservados con su nombre: "
            + ", ".join(otros[:12])
            + (" …" if len(otros) > 12 else "")
            + "."
        )

    # Channel from the traffic source, device as an extra column.
    c_fuente = buscar(tabla, "traffic_source.source", "traffic_source_source", "source")
    c_medio = buscar(tabla, "traffic_source.medium", "traffic_source_medium", "medium")
    canal = None
    if c_fuente is not None:
        # Source and medium are factorised apart and paired by code: a few dozen distinct pairs to name.
        cod_f, uni_f = _factorizar(tabla[c_fuente])
        if c_medio is not None:
            cod_m, uni_m = _factorizar(tabla[c_medio])
        else:
            cod_m, uni_m = np.full(len(tabla), -1, dtype=np.int64), np.asarray([], dtype=object)
        inverso, distintos = pd.factorize((cod_f.astype(np.int64) + 1) * (len(uni_m) + 1) + (cod_m + 1))
        f_de, m_de = np.divmod(distintos, len(uni_m) + 1)
        nombres_canal = np.asarray(
            [
                canal_de(uni_f[f - 1] if f else "", uni_m[m - 1] if m else "")
                for f, m in zip(f_de, m_de, strict=True)
            ],
            dtype=object,
        )
        canal = nombres_canal[inverso]
        informe.columnas[c_fuente] = "canal" + (f" (junto con {c_medio})" if c_medio else "")
    extras = {}
    c_disp = buscar(tabla, "device.category", "device_category")
    if c_disp is not None:
        cod_d, uni_d = _factorizar(tabla[c_disp])
        nombres_d = np.asarray(
            [DISPOSITIVOS.get(str(u).lower(), str(u)) for u in uni_d] + [None], dtype=object
        )
        extras["dispositivo"] = nombres_d[cod_d]
        informe.columnas[c_disp] = "dispositivo (columna extra: móvil, computadora, tableta)"

    importe = np.full(len(tabla), np.nan)
    c_ingreso = buscar(tabla, "ecommerce.purchase_revenue", "ecommerce_purchase_revenue", "purchase_revenue")
    if c_ingreso is not None:
        serie = tabla[c_ingreso]
        if not pd.api.types.is_numeric_dtype(serie.dtype):  # text amounts: read and checked like any other
            serie = numeros(serie, crudo, informe, decimal=None, convencion=".")
        importe = serie.to_numpy(dtype="float64", na_value=np.nan)
        informe.columnas[c_ingreso] = "importe (en las compras)"

    conservar = ~(sin_cliente | sin_nombre)
    if not conservar.all():
        ids, momento, evento, importe, compras = (
            ids[conservar],
            momento[conservar],
            evento[conservar],
            importe[conservar],
            compras[conservar],
        )
        canal = canal[conservar] if canal is not None else None
        extras = {k: v[conservar] for k, v in extras.items()}
    momento = momento.reset_index(drop=True)
    if compras.any():  # evento is this function's own array: changed in place
        evento[compras] = primera_y_siguientes(ids[compras], momento[compras])
        sin_importe = compras & np.isnan(importe)
        if sin_importe.any():
            informe.avisar(
                f"{int(sin_importe.sum())} compra(s) sin ecommerce.purchase_revenue: quedan sin importe."
            )
    return tabla_eventos(ids, momento, evento, canal, importe, informe, extras)

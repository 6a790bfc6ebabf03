"""Random input at every constructor, loader and validator: only ErrorCurso may escape."""

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cj_course as cj
from cj_course.persistencia import cargar_respuesta, guardar_respuesta

CLASES = [
    cj.Segmento,
    cj.Segmentacion,
    cj.Persona,
    cj.Interaccion,
    cj.MapaDeViaje,
    cj.CorreoBienvenida,
    cj.MetricaElegida,
    cj.PlanDeMetricas,
]
CAMPOS = sorted({f for c in CLASES for f in c.__dataclass_fields__} | {"tipo", "version", "zapato"})

escalares = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(
        ["conciencia", "Post-compra", "entrega", "{nombre}", "{", "}", "{0}", "[Nombre]", "  ", "\x00"]
    ),
)
valores = st.recursive(
    escalares,
    lambda hijos: st.one_of(
        st.lists(hijos, max_size=4), st.dictionaries(st.sampled_from(CAMPOS), hijos, max_size=4)
    ),
    max_leaves=12,
)
argumentos = st.dictionaries(st.sampled_from(CAMPOS), valores, max_size=6)
ajustes = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _solo_error_curso(funcion, *args, **kwargs):
    try:
        return funcion(*args, **kwargs)
    except cj.ErrorCurso as e:
        assert str(e), "el mensaje no puede estar vacío"
        return None


@ajustes
@given(clase=st.sampled_from(CLASES), posicionales=st.lists(valores, max_size=3), nombrados=argumentos)
def test_constructores(clase, posicionales, nombrados):
    obj = _solo_error_curso(clase, *posicionales, **nombrados)
    if obj is not None:
        # whatever a constructor accepts validates, renders and round-trips without surprises
        informe = _solo_error_curso(cj.validar, obj)
        if informe is not None:
            assert isinstance(informe.texto(), str) and informe._repr_html_()
        assert type(obj).desde_json(obj.a_json()) == obj


@ajustes
@given(clase=st.sampled_from(CLASES), datos=valores)
def test_cargadores_desde_dict_y_json(clase, datos):
    _solo_error_curso(clase.desde_dict, datos)
    try:
        texto = json.dumps(datos)
    except ValueError:
        return
    _solo_error_curso(clase.desde_json, texto)
    _solo_error_curso(cj.desde_json, texto)


@ajustes
@given(texto=st.one_of(st.text(max_size=60), st.binary(max_size=60)))
def test_json_arbitrario(texto):
    _solo_error_curso(cj.desde_json, texto)
    _solo_error_curso(cj.Persona.desde_json, texto)


@ajustes
@given(obj=valores)
def test_validadores(obj):
    _solo_error_curso(cj.validar, obj)
    with contextlib.suppress(AssertionError):
        cj.afirmar_valido(obj)


@ajustes
@given(
    asunto=st.text(min_size=1, max_size=40),
    cuerpo=st.text(min_size=1, max_size=80),
    cliente=st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
)
def test_plantillas_de_correo(asunto, cuerpo, cliente):
    correo = _solo_error_curso(cj.CorreoBienvenida, asunto, cuerpo, oferta="10%")
    if correo is not None:
        _solo_error_curso(correo.renderizar, cliente)
        _solo_error_curso(cj.validar, correo)


@settings(max_examples=60, deadline=None)
@given(contenido=st.binary(max_size=80))
def test_cargar_respuesta_con_bytes_arbitrarios(tmp_path_factory, contenido):
    carpeta = tmp_path_factory.mktemp("r")
    (carpeta / "respuestas").mkdir()
    (carpeta / "respuestas" / "p.json").write_bytes(contenido)
    respuesta, aviso = cargar_respuesta("p", cj.Persona, carpeta=carpeta)
    assert (respuesta is None) == (aviso is not None)
    if respuesta is not None:
        guardar_respuesta("p", respuesta, carpeta=carpeta)

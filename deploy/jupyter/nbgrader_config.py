"""Configuración de nbgrader común a todos los usuarios del hub del curso.

deploy/preparar_sistema.sh la instala en <venv>/etc/jupyter/nbgrader_config.py, así vale para todo
el que use el entorno del curso. JupyterHub pasa los valores en las variables CJ_* (ver
deploy/jupyterhub_config.py); con las mismas variables funciona en Kubernetes (deploy/z2jh-values.yaml).
"""

import os

c = get_config()  # noqa: F821  (traitlets defines it when it loads this file)

c.CourseDirectory.course_id = os.environ.get("CJ_CURSO", "customer_journey")
c.Exchange.root = os.environ.get("CJ_EXCHANGE", "/srv/nbgrader/exchange")

# The instructor's server starts in their home; nbgrader must still find the course folder and its own
# nbgrader_config.py (solutions/ as source, exercises/ as release). The gradebook URL is a secret: it
# lives in the instructor's ~/.jupyter/nbgrader_config.py, never in this shared file.
_usuario = os.environ.get("JUPYTERHUB_USER", "")
_instructores = {u.strip() for u in os.environ.get("CJ_INSTRUCTORES", "").split(",") if u.strip()}
if _usuario in _instructores:
    _carpeta = os.path.join(os.path.expanduser("~"), os.environ.get("CJ_CARPETA_CURSO", "curso"))
    c.CourseDirectory.root = _carpeta
    load_subconfig("nbgrader_config.py", path=_carpeta)  # noqa: F821

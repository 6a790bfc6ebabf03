// Ajustes para mostrar los widgets guardados en las páginas del libro, sin internet.
// Se carga entre require.js y embed-amd.js (nb_ipywidgets_js en _config.yml).
(function () {
  var script = document.currentScript;
  // 1. El gestor de widgets busca sus fuentes de iconos en la carpeta que RequireJS atribuye a cada
  //    módulo; por defecto es una ruta relativa a la *página* (p. ej. modules/@jupyter-widgets/…),
  //    que no existe. Al apuntar esos módulos a _static/, todas las páginas encuentran las fuentes.
  if (script && typeof window.require !== "undefined") {
    var base = script.src.replace(/[?#].*$/, "").replace(/\/[^/]*$/, "");
    window.require.config({
      paths: {
        "@jupyter-widgets/html-manager/dist": base,
        "@jupyter-widgets": base,
      },
    });
  }
  // 2. Los widgets piden a MathJax que procese sus etiquetas con la API de MathJax 2
  //    (MathJax.Hub.Queue); el libro usa MathJax 3, que no la tiene, y cada widget fallaba en una
  //    página con fórmulas. Este puente traduce la llamada a MathJax 3. MathJax se carga con
  //    «defer» y los widgets se dibujan en «load»: entre ambos llega DOMContentLoaded.
  function puenteMathJax() {
    var mj = window.MathJax;
    if (!mj || mj.Hub || typeof mj.typesetPromise !== "function") {
      return;
    }
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (orden) {
          if (Array.isArray(orden) && orden[0] === "Typeset") {
            mj.typesetPromise(orden[2] ? [orden[2]] : undefined).catch(function () {});
          }
        });
      },
    };
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", puenteMathJax);
  } else {
    puenteMathJax();
  }
})();

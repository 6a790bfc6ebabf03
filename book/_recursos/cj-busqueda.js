// Resúmenes de la página de búsqueda, adaptados al español y al tema del libro.
// Sphinx busca la palabra lematizada ("retencion") en el texto de la página ("retención") sin
// ignorar las tildes, y toma el texto de todo el <main>, botones del encabezado incluidos: el
// resumen quedaba vacío. Aquí se lee solo el artículo y se buscan las palabras sin tildes.
// The theme loads searchtools.js after this file: patch once the page is parsed, which still
// comes before Search.init (registered later on the same DOMContentLoaded event).
function cjAdaptarBusqueda() {
  if (typeof Search === "undefined") {
    return;
  }
  // one character in, one character out: positions in the folded text match the original
  var plegar = function (texto) {
    return texto.toLowerCase().split("").map(function (c) {
      return c.normalize("NFD").charAt(0);
    }).join("");
  };
  var textoOriginal = Search.htmlToText;
  Search.htmlToText = function (html, ancla) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var articulo = doc.querySelector("article.bd-article");
    if (!articulo) {
      return textoOriginal(html, ancla);
    }
    articulo.querySelectorAll(".headerlink, script, style").forEach(function (el) {
      el.remove();
    });
    var parte = ancla ? articulo.querySelector(ancla) : null;
    return (parte || articulo).textContent.replace(/\s+/g, " ");
  };
  Search.makeSearchSummary = function (html, palabras, ancla) {
    var texto = Search.htmlToText(html, ancla);
    if (texto === "") {
      return null;
    }
    var plegado = plegar(texto);
    var posiciones = Array.from(palabras)
      .map(function (p) {
        return plegado.indexOf(plegar(p));
      })
      .filter(function (i) {
        return i > -1;
      });
    var inicio = posiciones.length ? Math.max(Math.min.apply(null, posiciones) - 120, 0) : 0;
    var resumen = document.createElement("p");
    resumen.classList.add("context");
    resumen.textContent =
      (inicio > 0 ? "…" : "") + texto.substr(inicio, 240).trim() + (inicio + 240 < texto.length ? "…" : "");
    return resumen;
  };
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", cjAdaptarBusqueda);
} else {
  cjAdaptarBusqueda();
}

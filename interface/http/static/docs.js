// Swagger UI on this service's OpenAPI document. A file rather than an inline
// script, so that the page's Content-Security-Policy can allow only 'self'.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    // The default would send the document to validator.swagger.io.
    validatorUrl: null,
  });
});

// Renders /api/openapi.json with Swagger UI (loaded before this file). A file of its own,
// so the page's Content-Security-Policy needs no inline script.
window.addEventListener('DOMContentLoaded', () => {
  window.SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#api-docs',
    deepLinking: true,
    // Swagger UI would otherwise send the document to validator.swagger.io.
    validatorUrl: null,
  });
});

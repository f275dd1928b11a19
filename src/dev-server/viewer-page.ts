/** The run viewer served at `/`. */
export const VIEWER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Permiso hooks: local runs</title></head>
<body><h1>Permiso hooks: local runs</h1><pre id="runs"></pre>
<script>
async function refresh() {
  const response = await fetch("/api/runs");
  document.getElementById("runs").textContent = JSON.stringify(await response.json(), null, 2);
}
refresh();
new EventSource("/api/live").onmessage = refresh;
</script></body></html>
`;

import express from "express";

const app = express();
const port = Number(process.env.PORT ?? 3000);

app.get("/", (_request, response) => {
  response.type("html").send(`<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Hello from Node.js</title></head>
  <body>
    <h1>Hello from Node.js ${process.version} and Express</h1>
    <p>Deployed by Aether.</p>
  </body>
</html>
`);
});

app.get("/health", (_request, response) => {
  response.type("text").send("ok");
});

const server = app.listen(port, () => {
  console.log(`node-express listening on http://127.0.0.1:${port}`);
});

// The target stops a release with SIGTERM: finish open requests, then exit.
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
});

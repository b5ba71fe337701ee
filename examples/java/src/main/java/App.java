import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A small web app on the JDK's built-in HTTP server, deployed by Aether. */
public final class App {
  private static final String PAGE =
      """
      <!doctype html>
      <html lang="en">
        <head><meta charset="utf-8"><title>Hello from Java</title></head>
        <body>
          <h1>Hello from Java %s</h1>
          <p>JDK only (com.sun.net.httpserver). Deployed by Aether.</p>
        </body>
      </html>
      """;

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/", App::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    // The target stops a release with SIGTERM: the JVM runs shutdown hooks, so stop serving first.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    System.out.println("java listening on http://127.0.0.1:" + port);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!exchange.getRequestMethod().equals("GET")) {
      reply(exchange, 405, "text/plain", "method not allowed");
    } else if (path.equals("/")) {
      reply(exchange, 200, "text/html", PAGE.formatted(Runtime.version().feature()));
    } else if (path.equals("/health")) {
      reply(exchange, 200, "text/plain", "ok");
    } else {
      reply(exchange, 404, "text/plain", "not found");
    }
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

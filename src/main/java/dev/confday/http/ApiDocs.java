package dev.confday.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The readable API page at {@code /api/docs}: Swagger UI (from the org.webjars:swagger-ui jar
 * on the classpath) rendering {@code /openapi.json}. Its scripts are files of this origin, so
 * the page runs under a CSP without inline scripts; Swagger UI sets inline styles, so those are
 * allowed.
 */
public final class ApiDocs {
  public static final String PATH = "/api/docs";
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
      + "frame-ancestors 'none'";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";

  private ApiDocs() {
  }

  public static void mount(Router router) {
    Buffer page = read("apidocs/index.html");
    Buffer init = read("apidocs/init.js");
    String assets = WEBJAR + swaggerUiVersion();
    router.get(PATH).handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Security-Policy", CSP).putHeader("Cache-Control", "no-cache").end(page));
    router.get(PATH + "/init.js").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8").putHeader("Cache-Control", "no-cache").end(init));
    router.get(PATH + "/swagger-ui/*").handler(StaticHandler.create(assets).setMaxAgeSeconds(86_400));
  }

  /** The version of the Swagger UI jar, as its Maven metadata says: the assets live under it. */
  static String swaggerUiVersion() {
    Properties props = new Properties();
    try (InputStream in = ApiDocs.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("org.webjars:swagger-ui is not on the classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }

  private static Buffer read(String resource) {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing " + resource);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

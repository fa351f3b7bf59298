package dev.confday;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The test base of an API or page test: the class's own server (port 0, real PostgreSQL),
 * started before its tests and closed after them. Test classes run one after another, so the
 * static field belongs to one class at a time.
 */
public abstract class ServerTestBase {
  protected static TestServer server;

  @BeforeAll
  static void startServer() {
    server = null;
    server = TestServer.start();
  }

  @AfterAll
  static void closeServer() {
    if (server != null) {
      server.close();
    }
  }
}

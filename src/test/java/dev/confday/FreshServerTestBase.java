package dev.confday;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Like {@link ServerTestBase}, but a new server (on a new database) for every test: for tests of what happens at start. */
public abstract class FreshServerTestBase {
  protected TestServer server;

  @BeforeEach
  void startFreshServer() {
    server = TestServer.start();
  }

  @AfterEach
  void closeFreshServer() {
    if (server != null) {
      server.close();
    }
  }
}

package dev.confday;

import org.junit.jupiter.api.BeforeAll;

/** A {@link ServerTestBase} whose server holds the demo event ({@link #slug}) before the tests run. */
public abstract class DemoTestBase extends ServerTestBase {
  protected static String slug;

  @BeforeAll
  static void seedDemoEvent() {
    slug = server.seedDemo();
  }
}

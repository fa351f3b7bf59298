package dev.confday.db;

import dev.confday.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dedicated embedded PostgreSQL that a test can stop, start again on the same port and data,
 * kill, freeze (SIGSTOP to the postmaster and every backend) and thaw: the faults a venue's
 * database shows. Never shared with other test classes.
 */
final class ControlledPostgres implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Database running;

  ControlledPostgres(String name) {
    this.dir = Path.of("target", name + "-" + System.nanoTime()).toAbsolutePath();
    this.port = TestServer.freePort();
    start();
  }

  /** The database as the server sees it (host, port, credentials stay the same across restarts). */
  Database database() {
    return running;
  }

  void start() {
    running = Database.startEmbedded(dir, port, "postgres");
  }

  /** A fast shutdown (sessions get 57P01), as an operator's restart does. */
  void stop() {
    running.close();
  }

  /** SIGKILL to the postmaster and every backend, as the OOM killer would. */
  void kill() {
    signal("KILL");
    waitGone();
    running.close(); // its pg_ctl stop fails (logged); it releases the data directory's lock
  }

  void freeze() {
    signal("STOP");
  }

  void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    long postmaster = postmasterPid();
    List<String> command = new ArrayList<>(List.of("kill", "-" + name, Long.toString(postmaster)));
    ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> command.add(Long.toString(d.pid()))));
    try {
      Process p = new ProcessBuilder(command).inheritIO().start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " failed: " + command);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void waitGone() {
    long pid = postmasterPid();
    try {
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
      Files.deleteIfExists(dir.resolve("postgres").resolve("postmaster.pid"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private long postmasterPid() {
    try {
      return Long.parseLong(Files.readAllLines(dir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      thaw();
    } catch (RuntimeException e) {
      // not running: nothing to thaw
    }
    running.close();
  }
}

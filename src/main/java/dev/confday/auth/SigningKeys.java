package dev.confday.auth;

import dev.confday.db.DbErrors;
import io.jsonwebtoken.security.Jwks;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.vertx.core.buffer.Buffer;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key pairs every instance signs with, kept in PostgreSQL so all instances share
 * them. The newest key signs; every stored key verifies (and is published in the JWKS). When
 * the newest key is older than the rotation period, a new one is made; two instances rotating
 * at once just add two keys, both valid. A key is retired (deleted) once no token it signed can
 * still be valid: {@link #LONGEST_TOKEN_LIFETIME} after a newer key took over.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

  /** One key pair with its id. */
  public record KeyEntry(String kid, PrivateKey privateKey, PublicKey publicKey, OffsetDateTime createdAt) {
  }

  /** The longest lifetime of any token type issued (personal calendar links: 400 days). */
  public static final Duration LONGEST_TOKEN_LIFETIME = Duration.ofDays(400);
  /** An unknown kid reloads the keys at most this often, so forged tokens cannot hammer the database. */
  static final Duration UNKNOWN_KID_RELOAD_INTERVAL = Duration.ofSeconds(1);

  private final Pool pool;
  private final Duration rotation;
  private volatile List<KeyEntry> keys = List.of();
  private long lastUnknownKidReload = System.nanoTime() - UNKNOWN_KID_RELOAD_INTERVAL.toNanos();
  private Future<Void> pendingReload;
  private Vertx vertx;

  public SigningKeys(Pool pool, Duration rotation) {
    this.pool = pool;
    this.rotation = rotation;
  }

  /** Loads the keys and makes the first (or a rotated) one when needed. */
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    return reload().compose(v -> rotateIfDue()).onSuccess(v -> vertx.setPeriodic(60_000, id -> reload()
        .compose(x -> rotateIfDue())
        .compose(x -> retireOld())
        .onFailure(e -> {
          if (!DbErrors.isOutage(e)) {
            LOG.warn("Key refresh failed", e);
          }
        })));
  }

  /**
   * A token names a kid this instance does not know (another instance may just have rotated):
   * reload. Callers share one reload, and reloads start at most once per
   * {@link #UNKNOWN_KID_RELOAD_INTERVAL}: a flood of forged kids costs one query a second, and a
   * real new key is found after at most that delay, never refused.
   */
  Future<Void> reloadForUnknownKid() {
    Future<Void> shared = sharedReload();
    // the shared reload completes on whichever loop started it: each caller resumes on its own
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<Void> mine = Promise.promise();
    shared.onComplete(ar -> caller.runOnContext(v -> mine.handle(ar)));
    return mine.future();
  }

  private synchronized Future<Void> sharedReload() {
    if (pendingReload != null) {
      return pendingReload;
    }
    Promise<Void> done = Promise.promise();
    pendingReload = done.future();
    long waitMs = (lastUnknownKidReload + UNKNOWN_KID_RELOAD_INTERVAL.toNanos() - System.nanoTime()) / 1_000_000;
    Runnable run = () -> reload().onComplete(ar -> {
      synchronized (this) {
        pendingReload = null;
        lastUnknownKidReload = System.nanoTime();
      }
      done.handle(ar);
    });
    if (waitMs <= 0 || vertx == null) {
      run.run();
    } else {
      vertx.setTimer(waitMs, id -> run.run());
    }
    return done.future();
  }

  /** Deletes keys superseded longer ago than any token they signed can live. */
  Future<Void> retireOld() {
    List<KeyEntry> current = keys;
    OffsetDateTime cutoff = OffsetDateTime.now().minus(LONGEST_TOKEN_LIFETIME).minus(rotation);
    List<String> retired = new ArrayList<>();
    for (int i = 0; i < current.size() - 1; i++) {
      // key i stopped signing when key i + 1 was made
      if (current.get(i + 1).createdAt().isBefore(cutoff)) {
        retired.add(current.get(i).kid());
      }
    }
    if (retired.isEmpty()) {
      return Future.succeededFuture();
    }
    LOG.info("Retiring signing keys {}", retired);
    return pool.preparedQuery("delete from signing_keys where kid = any($1)")
        .execute(Tuple.of(retired.toArray(new String[0]))).compose(r -> reload());
  }

  Future<Void> reload() {
    return pool.query("select kid, private_key, public_key, created_at from signing_keys order by created_at")
        .execute()
        .map(rows -> {
          List<KeyEntry> loaded = new ArrayList<>();
          for (Row row : rows) {
            loaded.add(decode(row));
          }
          keys = List.copyOf(loaded);
          return null;
        });
  }

  Future<Void> rotateIfDue() {
    KeyEntry newest = keys.isEmpty() ? null : keys.get(keys.size() - 1);
    if (newest != null && newest.createdAt().isAfter(OffsetDateTime.now().minus(rotation))) {
      return Future.succeededFuture();
    }
    KeyPair pair = Jwks.CRV.Ed25519.keyPair().build();
    String kid = UUID.randomUUID().toString();
    LOG.info("Creating signing key {}", kid);
    return pool.preparedQuery("insert into signing_keys (kid, private_key, public_key) values ($1, $2, $3)")
        .execute(Tuple.of(kid, Buffer.buffer(pair.getPrivate().getEncoded()), Buffer.buffer(pair.getPublic().getEncoded())))
        .compose(r -> reload());
  }

  public KeyEntry active() {
    List<KeyEntry> current = keys;
    if (current.isEmpty()) {
      throw new IllegalStateException("signing keys not loaded");
    }
    return current.stream().max(Comparator.comparing(KeyEntry::createdAt)).orElseThrow();
  }

  public KeyEntry byKid(String kid) {
    for (KeyEntry k : keys) {
      if (k.kid().equals(kid)) {
        return k;
      }
    }
    return null;
  }

  public List<KeyEntry> all() {
    return keys;
  }

  private static KeyEntry decode(Row row) {
    try {
      KeyFactory factory = KeyFactory.getInstance("Ed25519");
      PrivateKey priv = factory.generatePrivate(new PKCS8EncodedKeySpec(row.getBuffer("private_key").getBytes()));
      PublicKey pub = factory.generatePublic(new X509EncodedKeySpec(row.getBuffer("public_key").getBytes()));
      return new KeyEntry(row.getString("kid"), priv, pub, row.getOffsetDateTime("created_at"));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Stored signing key " + row.getString("kid") + " cannot be read", e);
    }
  }
}

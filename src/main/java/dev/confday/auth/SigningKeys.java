package dev.confday.auth;

import io.jsonwebtoken.security.Jwks;
import io.vertx.core.Future;
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
 * at once just add two keys, both valid.
 */
public final class SigningKeys {
  private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);

  /** One key pair with its id. */
  public record KeyEntry(String kid, PrivateKey privateKey, PublicKey publicKey, OffsetDateTime createdAt) {
  }

  private final Pool pool;
  private final Duration rotation;
  private volatile List<KeyEntry> keys = List.of();

  public SigningKeys(Pool pool, Duration rotation) {
    this.pool = pool;
    this.rotation = rotation;
  }

  /** Loads the keys and makes the first (or a rotated) one when needed. */
  public Future<Void> start(Vertx vertx) {
    return reload().compose(v -> rotateIfDue()).onSuccess(v -> vertx.setPeriodic(60_000, id -> reload()
        .compose(x -> rotateIfDue())
        .onFailure(e -> LOG.warn("Key refresh failed", e))));
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

package dev.grizz.engine.api;

import dev.grizz.engine.telemetry.TraceIds;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The error catalog's entry for a PostgreSQL that cannot be reached (down, restarting, out of
 * connections), told apart from a failing query: it answers 503 {@code database_unavailable} with
 * {@code Retry-After}, which clients and load balancers retry, where a 500 reads as a bug. It comes
 * after the pool's wait for a connection ({@code GRIZZ_DB_CONNECT_TIMEOUT}), not Hikari's 30 s.
 */
final class DatabaseUnavailable {

  static final String CODE = "database_unavailable";
  static final String MESSAGE =
      "The database is unavailable; try again in a few seconds. If it lasts, quote the trace id"
          + " when you report it.";

  /** Long enough for a restart or a failover to finish, short enough to be back soon after. */
  static final long RETRY_AFTER_SECONDS = 5;

  /** Causes followed at most: a cause chain can loop. */
  private static final int MAX_DEPTH = 16;

  private DatabaseUnavailable() {}

  /** Whether {@code failure} comes from not reaching PostgreSQL, rather than from a query. */
  static boolean causedBy(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
      // A rollback on the connection that just broke fails too, without a SQLSTATE, and the
      // transaction reports that failure, keeping the one that says why aside.
      if (t instanceof TransactionSystemException rollback
          && rollback.getApplicationException() != null
          && causedBy(rollback.getApplicationException())) {
        return true;
      }
      if (t instanceof CannotGetJdbcConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof ConnectException
          || (t instanceof SQLException sql && unavailableState(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQLSTATE class 08 (connection exception: refused, broken), 57P01-57P03 (the server shutting
   * down, crashed, or not yet accepting connections) and 53300 (too many connections).
   */
  private static boolean unavailableState(@Nullable String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("53300"));
  }

  static ResponseEntity<ApiError> answer() {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .contentType(MediaType.APPLICATION_JSON)
        .headers(headers())
        .body(ApiError.of(CODE, MESSAGE, TraceIds.current()));
  }

  static HttpHeaders headers() {
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
    headers.set(HttpHeaders.CACHE_CONTROL, "no-store");
    return headers;
  }

  /** The {@code details} of an error frame on a WebSocket, which has no headers. */
  static Map<String, Object> details() {
    return Map.of("retry_after", RETRY_AFTER_SECONDS);
  }
}

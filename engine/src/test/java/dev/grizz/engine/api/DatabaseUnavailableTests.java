package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures answer 503 database_unavailable rather than 500 internal_error. */
class DatabaseUnavailableTests {

  private static final SQLException REFUSED =
      new SQLException("Connection to localhost:5432 refused", "08001");

  @Test
  void noConnectionFromThePoolIsUnavailability() {
    SQLTransientConnectionException timedOut =
        new SQLTransientConnectionException(
            "grizz - Connection is not available, request timed out after 3000ms",
            "08001",
            REFUSED);
    assertThat(DatabaseUnavailable.causedBy(new CannotGetJdbcConnectionException("no", timedOut)))
        .isTrue();
    assertThat(
            DatabaseUnavailable.causedBy(
                new CannotCreateTransactionException("Could not open JDBC Connection", timedOut)))
        .isTrue();
    // A pool that times out without a cause (all connections busy) counts too.
    assertThat(DatabaseUnavailable.causedBy(new SQLTransientConnectionException("timed out")))
        .isTrue();
    assertThat(DatabaseUnavailable.causedBy(new ServletException("failed", new ConnectException())))
        .isTrue();
  }

  @Test
  void aServerThatStopsOrIsFullIsUnavailability() {
    for (String state : new String[] {"08006", "57P01", "57P02", "57P03", "53300"}) {
      assertThat(
              DatabaseUnavailable.causedBy(
                  new DataAccessResourceFailureException(
                      "failed", new SQLException("terminating connection", state))))
          .as(state)
          .isTrue();
    }
  }

  @Test
  void aRollbackThatFailsOnTheBrokenConnectionIsUnavailability() {
    TransactionSystemException rollback =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    rollback.initApplicationException(
        new DataAccessResourceFailureException(
            "select", new SQLException("terminating connection", "57P01")));
    assertThat(DatabaseUnavailable.causedBy(rollback)).isTrue();

    TransactionSystemException afterABug =
        new TransactionSystemException(
            "JDBC rollback failed", new SQLException("Connection is closed"));
    afterABug.initApplicationException(new IllegalStateException("a bug"));
    assertThat(DatabaseUnavailable.causedBy(afterABug)).isFalse();
  }

  @Test
  void aFailingQueryIsNot() {
    assertThat(
            DatabaseUnavailable.causedBy(
                new BadSqlGrammarException("q", "select", new SQLException("syntax", "42601"))))
        .isFalse();
    assertThat(
            DatabaseUnavailable.causedBy(
                new DataIntegrityViolationException("dup", new SQLException("dup", "23505"))))
        .isFalse();
    assertThat(DatabaseUnavailable.causedBy(new SQLException("no state"))).isFalse();
    assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("a bug"))).isFalse();
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    IllegalStateException first = new IllegalStateException("first");
    IllegalStateException second = new IllegalStateException("second", first);
    first.initCause(second);
    assertThat(DatabaseUnavailable.causedBy(first)).isFalse();
  }
}

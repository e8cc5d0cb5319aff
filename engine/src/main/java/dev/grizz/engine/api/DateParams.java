package dev.grizz.engine.api;

import java.beans.PropertyEditorSupport;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Every date and instant a request names (query parameters such as {@code from}, {@code to}, {@code
 * since}) is ISO-8601 within the years 1 to 9999. Java reads years up to ±999,999,999, which
 * PostgreSQL cannot store or compare: such a date used to fail in SQL as a 500. An editor bound for
 * all handlers keeps the next date parameter bounded too; outside the range is a 400.
 */
@ControllerAdvice
class DateParams {

  static final LocalDate FIRST = LocalDate.of(1, 1, 1);
  static final LocalDate LAST = LocalDate.of(9999, 12, 31);

  @InitBinder
  void bind(WebDataBinder binder) {
    binder.registerCustomEditor(LocalDate.class, new Dates());
    binder.registerCustomEditor(Instant.class, new Instants());
  }

  static LocalDate checked(LocalDate date) {
    if (date.isBefore(FIRST) || date.isAfter(LAST)) {
      throw new IllegalArgumentException("dates must lie between 0001-01-01 and 9999-12-31");
    }
    return date;
  }

  private static final class Dates extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
      if (text == null || text.isBlank()) {
        setValue(null);
        return;
      }
      try {
        setValue(checked(LocalDate.parse(text.strip())));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO date (YYYY-MM-DD)", e);
      }
    }
  }

  private static final class Instants extends PropertyEditorSupport {
    @Override
    public void setAsText(String text) {
      if (text == null || text.isBlank()) {
        setValue(null);
        return;
      }
      String value = text.strip();
      OffsetDateTime time;
      try {
        time = OffsetDateTime.parse(value);
      } catch (DateTimeParseException withoutOffset) {
        try {
          time = LocalDateTime.parse(value).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException("not an ISO date-time", e);
        }
      }
      checked(time.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate());
      setValue(time.toInstant());
    }
  }
}

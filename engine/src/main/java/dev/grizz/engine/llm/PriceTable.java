package dev.grizz.engine.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The model catalog: shipped prices ({@code llm/catalog.csv}) plus an operator's file, whose rows
 * add to or replace the shipped ones (same provider, model and date).
 */
public final class PriceTable {

  private final List<ModelPrice> rows;

  PriceTable(List<ModelPrice> rows) {
    this.rows = List.copyOf(rows);
  }

  /** The shipped catalog, with {@code overrides} (a file in the same format) applied. */
  static PriceTable load(@Nullable Path overrides) {
    Map<String, ModelPrice> byKey = new LinkedHashMap<>();
    try (InputStream shipped = PriceTable.class.getResourceAsStream("/llm/catalog.csv")) {
      if (shipped == null) {
        throw new IllegalStateException("llm/catalog.csv is missing from the engine");
      }
      parse(shipped, "llm/catalog.csv").forEach(row -> byKey.put(key(row), row));
      if (overrides != null) {
        try (InputStream extra = Files.newInputStream(overrides)) {
          parse(extra, overrides.toString()).forEach(row -> byKey.put(key(row), row));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price catalog", e);
    }
    return new PriceTable(new ArrayList<>(byKey.values()));
  }

  private static String key(ModelPrice row) {
    return row.provider() + "/" + row.model() + "@" + row.effectiveFrom();
  }

  static List<ModelPrice> parse(InputStream in, String source) throws IOException {
    List<ModelPrice> rows = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("provider,")) {
        continue;
      }
      String[] f = trimmed.split(",", -1);
      if (f.length != 7 && f.length != 12) {
        throw new IllegalArgumentException(
            source + ":" + number + ": expected 7 columns, or 12 with capabilities");
      }
      try {
        rows.add(
            new ModelPrice(
                f[0].strip(),
                f[1].strip(),
                cents(f[3]),
                f[4].isBlank() ? null : cents(f[4]),
                cents(f[5]),
                LocalDate.parse(f[2].strip()),
                Integer.parseInt(f[6].strip()),
                f.length == 12 ? capabilities(f) : ModelCapabilities.UNKNOWN));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(source + ":" + number + ": " + e.getMessage(), e);
      }
    }
    return rows;
  }

  private static ModelCapabilities capabilities(String[] f) {
    return new ModelCapabilities(
        yesNo(f[7]),
        yesNo(f[8]),
        yesNo(f[9]),
        yesNo(f[10]),
        f[11].isBlank() ? null : Integer.valueOf(f[11].strip()));
  }

  private static @Nullable Boolean yesNo(String cell) {
    return switch (cell.strip()) {
      case "" -> null;
      case "yes" -> true;
      case "no" -> false;
      default -> throw new IllegalArgumentException("a capability is yes, no or blank: " + cell);
    };
  }

  private static BigDecimal cents(String dollars) {
    return new BigDecimal(dollars.strip()).movePointRight(2);
  }

  /** The price in force on {@code day}: the newest row whose effective date is not after it. */
  public Optional<ModelPrice> priceOn(String provider, String model, LocalDate day) {
    return rows.stream()
        .filter(row -> row.provider().equals(provider) && row.model().equals(model))
        .filter(row -> !row.effectiveFrom().isAfter(day))
        .max(Comparator.comparing(ModelPrice::effectiveFrom));
  }

  /** The current row of each model of a provider, in catalog order. */
  public List<ModelPrice> current(String provider, LocalDate day) {
    Map<String, ModelPrice> latest = new LinkedHashMap<>();
    for (ModelPrice row : rows) {
      if (row.provider().equals(provider) && !row.effectiveFrom().isAfter(day)) {
        latest.merge(
            row.model(), row, (a, b) -> a.effectiveFrom().isAfter(b.effectiveFrom()) ? a : b);
      }
    }
    return List.copyOf(latest.values());
  }
}

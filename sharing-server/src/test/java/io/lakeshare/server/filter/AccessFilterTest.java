package io.lakeshare.server.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessFilterTest {
  private static final TableColumns COLUMNS =
      TableColumns.fromSchemaString(
          new SchemaJson()
              .field("amount", "double")
              .field("country", "string")
              .field("day", "date")
              .field("n", "integer")
              .toString(),
          List.of("country", "day", "n"));

  private static Map<String, String> file(String country, String day, String n) {
    Map<String, String> m = new HashMap<>();
    m.put("country", country);
    m.put("day", day);
    m.put("n", n);
    return m;
  }

  /** Each row: filter | country | day | n | allowed ("~" is a null value). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "~",
      value = {
        "country = 'DE' | DE | 2024-01-01 | 1 | true",
        "country = 'DE' | FR | 2024-01-01 | 1 | false",
        "country = 'DE' | ~ | 2024-01-01 | 1 | false",
        "country = 'DE' | '' | 2024-01-01 | 1 | false",
        "country <> 'DE' | ~ | 2024-01-01 | 1 | false",
        "NOT country = 'DE' | FR | 2024-01-01 | 1 | true",
        "country IS NULL | ~ | 2024-01-01 | 1 | true",
        "country <=> 'DE' | DE | 2024-01-01 | 1 | true",
        "day >= '2024-01-02' | DE | 2024-01-03 | 1 | true",
        "day >= '2024-01-02' | DE | 2024-01-01 | 1 | false",
        "day >= DATE'2024-01-02' AND n < 5 | DE | 2024-01-03 | 4 | true",
        "day >= DATE'2024-01-02' AND n < 5 | DE | 2024-01-03 | 5 | false",
        "n > 5 OR country = 'FR' | FR | 2024-01-03 | 1 | true",
        "n > 5 OR country = 'FR' | DE | 2024-01-03 | ~ | false",
        "n = 1 | DE | 2024-01-03 | not-a-number | false",
      })
  void aFileIsAllowedOnlyWhenTheFilterIsCertainlyTrue(
      String filter, String country, String day, String n, boolean allowed) {
    AccessFilter f = AccessFilter.compile(filter, COLUMNS);
    assertThat(f.allows(file(country, day, n))).as(filter).isEqualTo(allowed);
  }

  @Test
  void filtersThatCannotBeAppliedExactlyAreRefused() {
    assertThatThrownBy(() -> AccessFilter.compile("amount > 1", COLUMNS))
        .hasMessageContaining("not a partition column");
    assertThatThrownBy(() -> AccessFilter.compile("country = ", COLUMNS))
        .hasMessageContaining("does not parse");
    assertThatThrownBy(() -> AccessFilter.compile("nope = 1", COLUMNS))
        .hasMessageContaining("not a partition column");
    TableColumns unpartitioned =
        TableColumns.fromSchemaString(new SchemaJson().field("a", "string").toString(), List.of());
    assertThatThrownBy(() -> AccessFilter.compile("a = 'x'", unpartitioned))
        .hasMessageContaining("no partition columns");
  }
}

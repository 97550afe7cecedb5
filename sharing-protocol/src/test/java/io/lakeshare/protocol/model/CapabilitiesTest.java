package io.lakeshare.protocol.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

  @Test
  void absentOrBlankHeaderMeansNothingSpecified() {
    assertThat(Capabilities.parse(null)).isEqualTo(Capabilities.NONE);
    assertThat(Capabilities.parse("  ")).isEqualTo(Capabilities.NONE);
    assertThat(Capabilities.NONE.responseFormats()).isEmpty();
    assertThat(Capabilities.NONE.accepts("parquet")).isTrue();
    assertThat(Capabilities.NONE.accepts("delta")).isFalse();
  }

  @Test
  void withAsyncQueryChangesOnlyThatCapability() {
    Capabilities c =
        Capabilities.parse(
            "responseformat=delta,parquet;readerfeatures=deletionvectors;"
                + "includeendstreamaction=true;asyncquery=true");
    Capabilities sync = c.withAsyncQuery(false);
    assertThat(sync.asyncQuery()).isFalse();
    assertThat(sync.responseFormats()).containsExactly("delta", "parquet");
    assertThat(sync.readerFeatures()).containsExactly("deletionvectors");
    assertThat(sync.includeEndStreamAction()).isTrue();
    assertThat(sync.withAsyncQuery(true)).isEqualTo(c);
    assertThat(c.withAsyncQuery(true)).isSameAs(c);
  }

  @Test
  void keysAndValuesAreCaseInsensitive() {
    Capabilities c = Capabilities.parse("ResponseFormat=DELTA");
    assertThat(c.responseFormats()).containsExactly("delta");
    assertThat(c.accepts("Delta")).isTrue();
    assertThat(c.accepts("parquet")).isFalse();
  }

  @Test
  void spacesAroundPartsKeysValuesAndItemsAreTrimmed() {
    Capabilities c = Capabilities.parse("responseformat=delta; readerfeatures=columnmapping");
    assertThat(c.responseFormats()).containsExactly("delta");
    assertThat(c.readerFeatures()).containsExactly("columnmapping");
    Capabilities d =
        Capabilities.parse(
            " responseformat = delta , parquet ;readerfeatures= DeletionVectors,, ColumnMapping ;"
                + " includeendstreamaction = TRUE ; asyncquery=true");
    assertThat(d)
        .isEqualTo(
            new Capabilities(
                List.of("delta", "parquet"),
                Set.of("deletionvectors", "columnmapping"),
                true,
                true));
    assertThat(List.copyOf(d.readerFeatures())).containsExactly("deletionvectors", "columnmapping");
  }

  @Test
  void malformedPartsAndUnknownKeysAreIgnoredAndLaterDuplicatesWin() {
    Capabilities c =
        Capabilities.parse(
            "responseformat=delta;junk;a=b=c;=x;futurekey=1;responseformat=parquet;"
                + "includeendstreamaction=yes");
    assertThat(c.responseFormats()).containsExactly("parquet");
    assertThat(c.includeEndStreamAction()).isFalse();
    assertThat(c.readerFeatures()).isEmpty();
  }

  @Test
  void headerValueRoundTrips() {
    Capabilities c =
        new Capabilities(List.of("delta", "parquet"), Set.of("deletionvectors"), true, false);
    assertThat(c.toHeaderValue())
        .isEqualTo(
            "responseformat=delta,parquet;readerfeatures=deletionvectors;"
                + "includeendstreamaction=true");
    assertThat(Capabilities.parse(c.toHeaderValue())).isEqualTo(c);
    assertThat(Capabilities.NONE.toHeaderValue()).isEmpty();
  }

  @Test
  void constructorNormalizesAndDeduplicates() {
    Capabilities c = new Capabilities(List.of(" Delta", "delta", ""), null, false, false);
    assertThat(c.responseFormats()).containsExactly("delta");
    assertThat(c.readerFeatures()).isEmpty();
  }
}

package dev.carapace.tdx.fuzz;

/**
 * How long each {@code @FuzzTest} fuzzes in fuzzing mode ({@code JAZZER_FUZZ=1}, as set by the
 * {@code fuzz} Maven profile). Ignored in regression mode, where only the seeds run. Jazzer reads
 * the bound from the annotation, so it is a compile-time constant.
 */
final class FuzzBudget {
  /** Variable-length parsers with nested length fields or text formats. */
  static final String PARSER = "30s";
  /** Fixed-size codecs (TDREPORT, CCEL table): little state to explore. */
  static final String FIXED_SIZE_CODEC = "20s";

  private FuzzBudget() {}
}

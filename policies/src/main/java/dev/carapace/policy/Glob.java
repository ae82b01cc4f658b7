package dev.carapace.policy;

import java.util.regex.Pattern;

/**
 * A resource path segment pattern: {@code *} matches any run of characters (including none), {@code
 * ?} exactly one, everything else itself. Matching is case-sensitive and whole-segment.
 */
record Glob(String pattern, Pattern regex) {

  static final Glob ANY = of("*");

  static Glob of(String pattern) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return new Glob(pattern, Pattern.compile(regex.toString(), Pattern.DOTALL));
  }

  boolean matches(String segment) {
    return regex.matcher(segment).matches();
  }

  @Override
  public String toString() {
    return pattern;
  }
}

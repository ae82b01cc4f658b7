package dev.carapace.policy;

import dev.carapace.policy.PolicyEvaluationException.Reason;
import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Copies a claims tree into the values CEL evaluates: string-keyed maps, lists, strings, booleans,
 * {@code long} (from any integral type), {@code double} (from any decimal type) and CEL's null. The
 * copy is immutable, so a caller cannot change claims while they are being appraised. This is the
 * shape {@code ObjectMapper.convertValue(json, Map.class)} produces.
 */
final class ClaimsTree {
  private static final int MAX_DEPTH = 64;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private ClaimsTree() {}

  /**
   * The normalized copy of {@code claims}.
   *
   * @throws PolicyEvaluationException with reason {@link Reason#INVALID_CLAIMS} if the tree holds a
   *     value of another type, a non-string key, or nests deeper than 64 levels
   */
  static Map<String, Object> normalize(Map<String, ?> claims) throws PolicyEvaluationException {
    @SuppressWarnings("unchecked")
    Map<String, Object> copy = (Map<String, Object>) value(claims, "claims", 0);
    return copy;
  }

  private static Object value(@Nullable Object value, String path, int depth)
      throws PolicyEvaluationException {
    if (depth > MAX_DEPTH) {
      throw invalid(path, "claims nest deeper than " + MAX_DEPTH + " levels");
    }
    if (value == null) {
      return NullValue.NULL_VALUE;
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      if (big.compareTo(LONG_MIN) < 0 || big.compareTo(LONG_MAX) > 0) {
        throw invalid(path, "integer claim does not fit in 64 bits");
      }
      return big.longValue();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw invalid(path, "claim keys must be strings");
        }
        copy.put(key, value(entry.getValue(), path + "." + key, depth + 1));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(value(list.get(i), path + "[" + i + "]", depth + 1));
      }
      return Collections.unmodifiableList(copy);
    }
    throw invalid(
        path,
        "a claim must be a string, boolean, number, null, list or map, found "
            + value.getClass().getName());
  }

  private static PolicyEvaluationException invalid(String path, String detail) {
    return new PolicyEvaluationException(Reason.INVALID_CLAIMS, path + ": " + detail);
  }
}

package dev.carapace.policy;

import dev.carapace.policy.DocumentNode.ScalarNode;
import dev.carapace.policy.PolicyValidationException.Reason;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Compiles the CEL conditions of policy documents. There are two environments, one per policy kind,
 * each built once and shared (CEL compilers, runtimes and programs are immutable and thread-safe):
 *
 * <ul>
 *   <li>{@link #APPRAISAL}: {@code claims} ({@code map(string, dyn)}) and {@code rv} ({@code
 *       map(string, list(string))}), where {@code rv} may only be indexed with a string literal, so
 *       that the reference values a policy needs are known when it is compiled;
 *   <li>{@link #RESOURCE}: {@code claims} ({@code map(string, dyn)}) and {@code request} ({@code
 *       map(string, string)} with keys {@code repository}, {@code type}, {@code tag}).
 * </ul>
 *
 * <p>Both have the CEL standard library, the standard macros ({@code has}, {@code all}, {@code
 * exists}, {@code exists_one}, {@code map}, {@code filter}) and the strings extension ({@code
 * lowerAscii}, {@code split}, ...). Comprehensions are limited to {@value #MAX_ITERATIONS}
 * iterations and an expression to {@value #MAX_EXPRESSION_CODE_POINTS} code points.
 */
final class ConditionCompiler {
  static final int MAX_ITERATIONS = 10_000;
  static final int MAX_EXPRESSION_CODE_POINTS = 8_192;

  private static final CelOptions OPTIONS =
      CelOptions.current()
          .comprehensionMaxIterations(MAX_ITERATIONS)
          .maxExpressionCodePointSize(MAX_EXPRESSION_CODE_POINTS)
          .maxRegexProgramSize(1_000)
          .build();

  private static final MapType CLAIMS = MapType.create(SimpleType.STRING, SimpleType.DYN);

  static final ConditionCompiler APPRAISAL =
      new ConditionCompiler(
          CelCompilerFactory.standardCelCompilerBuilder()
              .setOptions(OPTIONS)
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .addVar("claims", CLAIMS)
              .addVar("rv", MapType.create(SimpleType.STRING, ListType.create(SimpleType.STRING)))
              .addLibraries(CelExtensions.strings())
              .build(),
          "rv");

  static final ConditionCompiler RESOURCE =
      new ConditionCompiler(
          CelCompilerFactory.standardCelCompilerBuilder()
              .setOptions(OPTIONS)
              .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
              .addVar("claims", CLAIMS)
              .addVar("request", MapType.create(SimpleType.STRING, SimpleType.STRING))
              .addLibraries(CelExtensions.strings())
              .build(),
          null);

  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder()
          .setOptions(OPTIONS)
          .addLibraries(CelExtensions.strings())
          .build();

  private final CelCompiler compiler;
  private final @Nullable String referenceValuesVar;

  private ConditionCompiler(CelCompiler compiler, @Nullable String referenceValuesVar) {
    this.compiler = compiler;
    this.referenceValuesVar = referenceValuesVar;
  }

  /**
   * Compiles the expression held by {@code node}.
   *
   * @param path where the expression is in the document, e.g. {@code rules[0].allow}
   * @throws PolicyValidationException with reason {@link Reason#EXPRESSION_SYNTAX}, {@link
   *     Reason#EXPRESSION_TYPE} or {@link Reason#REFERENCE_VALUE_ACCESS}, and the document line of
   *     the first error
   */
  Condition compile(ScalarNode node, String path) throws PolicyValidationException {
    String source = node.text();
    if (source.isBlank()) {
      throw new PolicyValidationException(
          Reason.EXPRESSION_SYNTAX, node.line(), path, "the expression is empty");
    }
    CelValidationResult parsed = compiler.parse(source);
    if (parsed.hasError()) {
      throw issue(Reason.EXPRESSION_SYNTAX, node, path, parsed.getErrors());
    }
    CelAbstractSyntaxTree ast;
    try {
      CelValidationResult checked = compiler.check(parsed.getAst());
      if (checked.hasError()) {
        throw issue(Reason.EXPRESSION_TYPE, node, path, checked.getErrors());
      }
      ast = checked.getAst();
    } catch (CelValidationException e) {
      // getAst() throws only when there are errors, which were handled above.
      throw new PolicyBugException("CEL reported no errors but produced no AST", e);
    }
    CelKind kind = ast.getResultType().kind();
    if (kind != CelKind.BOOL && kind != CelKind.DYN) {
      throw new PolicyValidationException(
          Reason.EXPRESSION_TYPE,
          node.line(),
          path,
          "a condition must be a bool expression, found " + ast.getResultType().name());
    }
    Set<String> names = referenceValueNames(ast, node, path);
    try {
      return new Condition(source, node.line(), path, RUNTIME.createProgram(ast), names);
    } catch (CelEvaluationException e) {
      throw new PolicyValidationException(
          Reason.EXPRESSION_TYPE, node.line(), path, e.getMessage());
    }
  }

  /**
   * The literal names {@code n} of every {@code rv["n"]} in {@code ast}; any other use of the
   * reference values variable is rejected.
   */
  private Set<String> referenceValueNames(CelAbstractSyntaxTree ast, ScalarNode node, String path)
      throws PolicyValidationException {
    Set<String> names = new TreeSet<>();
    if (referenceValuesVar == null) {
      return names;
    }
    List<CelNavigableExpr> uses =
        CelNavigableAst.fromAst(ast)
            .getRoot()
            .allNodes()
            .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.IDENT)
            .filter(e -> e.expr().ident().name().equals(referenceValuesVar))
            .toList();
    for (CelNavigableExpr use : uses) {
      Optional<String> name = literalIndex(use);
      if (name.isEmpty()) {
        int line = node.lineOf(location(ast, use.id()).map(CelSourceLocation::getLine).orElse(1));
        throw new PolicyValidationException(
            Reason.REFERENCE_VALUE_ACCESS,
            line,
            path,
            "reference values must be read as "
                + referenceValuesVar
                + "[\"<name>\"] with a literal, non-empty name");
      }
      names.add(name.get());
    }
    return names;
  }

  private static Optional<String> literalIndex(CelNavigableExpr use) {
    Optional<CelNavigableExpr> parent = use.parent();
    if (parent.isEmpty() || parent.get().getKind() != CelExpr.ExprKind.Kind.CALL) {
      return Optional.empty();
    }
    CelExpr.CelCall call = parent.get().expr().call();
    if (!call.function().equals("_[_]")
        || call.args().size() != 2
        || call.args().get(0).id() != use.id()) {
      return Optional.empty();
    }
    CelExpr index = call.args().get(1);
    if (index.exprKind().getKind() != CelExpr.ExprKind.Kind.CONSTANT
        || index.constant().getKind() != CelConstant.Kind.STRING_VALUE
        || index.constant().stringValue().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(index.constant().stringValue());
  }

  private static Optional<CelSourceLocation> location(CelAbstractSyntaxTree ast, long id) {
    Integer offset = ast.getSource().getPositionsMap().get(id);
    return offset == null ? Optional.empty() : ast.getSource().getOffsetLocation(offset);
  }

  private static PolicyValidationException issue(
      Reason reason, ScalarNode node, String path, List<CelIssue> issues) {
    CelIssue first = issues.get(0);
    CelSourceLocation location = first.getSourceLocation();
    int celLine = Math.max(location.getLine(), 1);
    String where =
        location.getLine() > 0
            ? " (expression line " + celLine + ", column " + (location.getColumn() + 1) + ")"
            : "";
    return new PolicyValidationException(
        reason, node.lineOf(celLine), path, first.getMessage() + where);
  }
}

package dev.genaiprocessors.examples;

import dev.genaiprocessors.core.functions.ToolFunction;
import dev.genaiprocessors.core.functions.ToolParam;

/**
 * The math assistant's calculator: a plain Java method that becomes a tool
 * ({@code RealtimeConfig.builder().toolsFrom(new Calculator())}). It parses the expression itself with a
 * small recursive-descent parser; nothing is ever evaluated as code.
 *
 * <p>Grammar: {@code expr = term (('+'|'-') term)*}, {@code term = factor (('*'|'/'|'%') factor)*},
 * {@code factor = ('+'|'-') factor | power}, {@code power = atom ('^' factor)?},
 * {@code atom = number | '(' expr ')'}. Numbers are decimals ({@code 3}, {@code 2.5}, {@code .5});
 * {@code x} and {@code ×} multiply, {@code ÷} divides. Anything else is an
 * {@link IllegalArgumentException} saying where.
 */
public final class Calculator {

  /** Nesting deeper than this is refused (the parser recurses). */
  static final int MAX_DEPTH = 100;

  /**
   * Evaluates an arithmetic expression.
   *
   * @param expression such as {@code (12 + 30) * 2 / 7}
   * @return its value
   * @throws IllegalArgumentException when it is not an arithmetic expression, or divides by zero
   */
  @ToolFunction(
      name = "calculate",
      description =
          "Evaluates an arithmetic expression with + - * / % ^ and parentheses, such as (12 + 30) * 2")
  public double calculate(
      @ToolParam(name = "expression", description = "the arithmetic expression")
          String expression) {
    return new Parser(expression).parse();
  }

  /** One parse of one expression. */
  private static final class Parser {
    private final String text;
    private int at;
    private int depth;

    Parser(String text) {
      this.text = text;
    }

    double parse() {
      double value = expr();
      skipSpaces();
      if (at < text.length()) {
        throw error("unexpected '" + text.charAt(at) + "'");
      }
      return value;
    }

    private double expr() {
      double value = term();
      while (true) {
        if (eat('+')) {
          value += term();
        } else if (eat('-')) {
          value -= term();
        } else {
          return value;
        }
      }
    }

    private double term() {
      double value = factor();
      while (true) {
        if (eat('*') || eat('x') || eat('×')) {
          value *= factor();
        } else if (eat('/') || eat('÷')) {
          double divisor = factor();
          if (divisor == 0) {
            throw error("division by zero");
          }
          value /= divisor;
        } else if (eat('%')) {
          double divisor = factor();
          if (divisor == 0) {
            throw error("division by zero");
          }
          value %= divisor;
        } else {
          return value;
        }
      }
    }

    private double factor() {
      if (++depth > MAX_DEPTH) {
        throw error("nested too deeply (more than " + MAX_DEPTH + " levels)");
      }
      try {
        if (eat('+')) {
          return factor();
        }
        if (eat('-')) {
          return -factor();
        }
        double base = atom();
        if (eat('^')) {
          return Math.pow(base, factor());
        }
        return base;
      } finally {
        depth--;
      }
    }

    private double atom() {
      if (eat('(')) {
        double value = expr();
        if (!eat(')')) {
          throw error("missing ')'");
        }
        return value;
      }
      skipSpaces();
      int start = at;
      while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
        at++;
      }
      if (start == at) {
        throw error(
            at < text.length() ? "unexpected '" + text.charAt(at) + "'" : "a number is missing");
      }
      try {
        return Double.parseDouble(text.substring(start, at));
      } catch (NumberFormatException e) {
        throw error("'" + text.substring(start, at) + "' is not a number");
      }
    }

    private boolean eat(char c) {
      skipSpaces();
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    private void skipSpaces() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "not an arithmetic expression: " + what + " at position " + at + " of \"" + text + "\"");
    }
  }
}
